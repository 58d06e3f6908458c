"""Pages of the complaint case loop. Views parse input, call complaints.services (writes) or
complaints.selectors (reads), and turn ApplicationError into a Chinese message — never a 500."""
