/*
 * Work queues (dispatch queue, my-work): bulk selection and the live refresh.
 *
 *   form#bulk-form                   the bulk bar; rows' checkboxes join it by form="bulk-form"
 *   input[data-pick]                 a row's checkbox (value = ticket number)
 *   input[data-bulk-all]             selects / clears every row of the page
 *   select[data-bulk-action]         shows the fieldset[data-bulk-for] of the chosen action
 *   [data-bulk-dismiss]              closes the results panel
 *   button[data-suggest-unit]        picks the suggested unit in the row's select (never preselected)
 *   #queue-poll[data-queue-rows]     htmx polls the rows (hx-swap="none"); this file merges them:
 *                                    a row whose ticket has not changed (same data-version) keeps its
 *                                    DOM node (checkbox, typed filter, chosen unit), a changed or new
 *                                    row comes in (checked if it was), a gone one leaves. Paused while
 *                                    a field of the page has focus, while the tab is hidden and while
 *                                    a bulk action runs.
 * CSP: no inline script, no eval (htmx trigger filters would need it: the pause is here instead).
 */
(function () {
  "use strict";

  var form = document.getElementById("bulk-form");
  var poll = document.getElementById("queue-poll");
  var live = document.getElementById("queue-live");
  var busy = false;

  function rowsBody() {
    var sel = poll && poll.getAttribute("data-queue-rows");
    return document.querySelector(sel || "#queue-rows");
  }

  function picks() {
    var body = rowsBody();
    return body ? Array.prototype.slice.call(body.querySelectorAll("input[data-pick]")) : [];
  }

  // ---------------------------------------------------------------- selection

  function updateCount() {
    if (!form) return;
    var all = picks();
    var n = all.filter(function (c) { return c.checked; }).length;
    var count = document.getElementById("bulk-count");
    if (count) count.textContent = (form.getAttribute("data-selected-text") || "{n}").replace("{n}", n);
    var box = form.querySelector("[data-bulk-all]");
    if (box) {
      box.checked = all.length > 0 && n === all.length;
      box.indeterminate = n > 0 && n < all.length;
    }
    document.querySelectorAll("tr[data-ticket]").forEach(function (tr) {
      var c = tr.querySelector("input[data-pick]");
      tr.classList.toggle("is-picked", !!(c && c.checked));
    });
  }

  function showFields() {
    if (!form) return;
    var chosen = form.querySelector("[data-bulk-action]");
    var name = chosen ? chosen.value : "";
    form.querySelectorAll("[data-bulk-for]").forEach(function (fs) {
      var on = fs.getAttribute("data-bulk-for") === name;
      fs.hidden = !on;
      fs.disabled = !on; // only the chosen action's fields are sent
    });
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!t || !t.matches) return;
    if (t.matches("input[data-bulk-all]")) {
      picks().forEach(function (c) { c.checked = t.checked; });
      updateCount();
    } else if (t.matches("input[data-pick]")) {
      updateCount();
    } else if (t.matches("select[data-bulk-action]")) {
      showFields();
    }
  });

  document.addEventListener("click", function (e) {
    var t = e.target && e.target.closest ? e.target.closest("[data-bulk-dismiss], [data-suggest-unit]") : null;
    if (!t) return;
    if (t.hasAttribute("data-bulk-dismiss")) {
      var results = document.getElementById("bulk-results");
      if (results) results.textContent = "";
    } else {
      var select = document.querySelector(t.getAttribute("data-suggest-target"));
      if (select) {
        select.value = t.getAttribute("data-suggest-unit");
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    }
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail && e.detail.elt === form) busy = true;
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (!e.detail) return;
    if (e.detail.elt === form) {
      busy = false;
      // Done tickets leave the selection; refused ones stay checked for another try.
      var results = document.getElementById("bulk-results");
      if (results) {
        results.querySelectorAll("li.is-done[data-result]").forEach(function (li) {
          picks().forEach(function (c) { if (c.value === li.getAttribute("data-result")) c.checked = false; });
        });
      }
      updateCount();
    } else if (e.detail.elt === poll && e.detail.successful && e.detail.xhr.status === 200) {
      merge(e.detail.xhr.responseText);
    }
  });
  // The bulk answer says the queue changed: refresh at once instead of at the next tick.
  // (htmx fires it before its afterRequest: the bulk request is over, so no pause for it.)
  document.body.addEventListener("queue-changed", function () {
    busy = false;
    window.setTimeout(refreshNow, 0);
  });

  // ---------------------------------------------------------------- live refresh

  function typingInPage() {
    var el = document.activeElement;
    if (!el || el === document.body) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["button", "submit", "reset", "checkbox", "radio"].indexOf(type) === -1;
    }
    return !!el.isContentEditable;
  }

  function paused() {
    return document.hidden || busy || typingInPage();
  }

  function say(text) {
    if (live && live.textContent !== text) live.textContent = text;
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    if (!e.detail || e.detail.elt !== poll) return;
    if (paused()) {
      e.preventDefault();
      if (typingInPage()) say(live ? live.getAttribute("data-paused") || "" : "");
    }
  });

  // The poll says what the page shows; the server answers 204 (nothing to do) when that is still so.
  document.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail || e.detail.elt !== poll) return;
    var body = rowsBody();
    if (body && body.getAttribute("data-sig")) e.detail.parameters.sig = body.getAttribute("data-sig");
  });

  function refreshNow() {
    if (poll && window.htmx) window.htmx.trigger(poll, "queue-refresh");
  }

  function merge(html) {
    var body = rowsBody();
    if (!body || !html) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = "<table>" + html + "</table>";
    var fresh = tpl.content.querySelector("tbody");
    if (!fresh) return;
    var old = {};
    body.querySelectorAll("tr[data-ticket]").forEach(function (tr) { old[tr.getAttribute("data-ticket")] = tr; });
    var active = document.activeElement;
    var frag = document.createDocumentFragment();
    var changed = 0;
    var stale = false;
    Array.prototype.slice.call(fresh.children).forEach(function (tr) {
      var number = tr.getAttribute("data-ticket");
      var prev = number ? old[number] : null;
      if (prev) delete old[number];
      if (prev && prev.getAttribute("data-version") === tr.getAttribute("data-version")) {
        frag.appendChild(prev); // unchanged: left exactly as it is
        return;
      }
      if (prev && active && prev.contains(active)) {
        frag.appendChild(prev); // changed, but the user is in it: not now (and ask again next time)
        stale = true;
        return;
      }
      if (prev) {
        var was = prev.querySelector("input[data-pick]");
        var now = tr.querySelector("input[data-pick]");
        if (was && now) now.checked = was.checked;
      }
      if (number) {
        tr.classList.add("queue-row-new");
        changed++;
      }
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    body.setAttribute("data-sig", stale ? "" : fresh.getAttribute("data-sig") || "");
    var total = fresh.getAttribute("data-total");
    if (total) {
      document.querySelectorAll("[data-queue-total], .pager-info").forEach(function (el) {
        if (el.textContent !== total) el.textContent = total;
      });
    }
    if (window.htmx) window.htmx.process(body);
    if (window.App && window.App.updateCountdowns) window.App.updateCountdowns(body);
    updateCount();
    if (changed && live) {
      var text = changed === 1 ? live.getAttribute("data-new-one")
                               : (live.getAttribute("data-new-many") || "").replace("{n}", changed);
      say(text);
    } else if (!changed) {
      say("");
    }
  }

  if (poll) {
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refreshNow(); });
  }

  showFields();
  updateCount();

  window.Queues = { merge: merge, refreshNow: refreshNow, paused: paused };
})();
