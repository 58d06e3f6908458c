/*
 * 供电服务投诉工单系统 — small page behaviours.
 *
 * Works under a strict Content-Security-Policy: this file is the only place for
 * page behaviour; templates contain no inline <script> and no on* attributes.
 * Everything is driven by data-* attributes and event delegation, so it also
 * works for content swapped in by htmx.
 *
 *   data-search                      "/" focuses this element (first visible one)
 *   a[data-shortcut="new"]           Alt+N follows this link
 *   form[data-confirm="…"]           confirm() before submitting
 *   button[data-confirm="…"]         same, for one specific submit button
 *   [data-countdown="<ISO datetime>"] live "剩余 3小时12分" / "已超时 25分", every 30 s
 *   input[data-filter-select="#id"]  filters the <option>s of select#id while typing
 *   select[data-autosubmit]          submits its form on change
 *   <meta name="csrf-token">         sent as X-CSRFToken on every htmx request
 *   <meta name="server-now">         optional server time, corrects client clock skew
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- helpers

  function isVisible(el) {
    return !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  }

  function isTypingTarget(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["button", "submit", "reset", "checkbox", "radio", "image", "file"].indexOf(type) === -1;
    }
    return false;
  }

  function metaContent(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : null;
  }

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  // ------------------------------------------------- (a) keyboard shortcuts

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing) return; // IME composition (Chinese input)

    // "/" focuses the search box, unless the user is already typing somewhere.
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
      var candidates = document.querySelectorAll("[data-search]");
      for (var i = 0; i < candidates.length; i++) {
        if (isVisible(candidates[i]) && !candidates[i].disabled) {
          e.preventDefault();
          candidates[i].focus();
          if (typeof candidates[i].select === "function") candidates[i].select();
          return;
        }
      }
      return;
    }

    // Alt+N follows the "new" link. e.code so it also works with macOS Option
    // (which turns e.key into "˜") and with non-Latin keyboard layouts.
    if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey &&
        (e.code === "KeyN" || (e.key && e.key.toLowerCase() === "n"))) {
      var link = document.querySelector('[data-shortcut="new"]');
      if (link) {
        e.preventDefault();
        if (link.tagName === "A" && link.href) {
          window.location.assign(link.href);
        } else {
          link.click();
        }
      }
    }
  });

  // ------------------------------------------------- (b) confirm on submit

  // Capture phase on document: runs before htmx's own submit handler on the
  // form, and stopImmediatePropagation() keeps htmx from sending the request.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = e.submitter || null;
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
                  form.getAttribute("data-confirm");
    if (!message) return;
    if (!window.confirm(message)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // ------------------------------------------------- (c) live countdowns

  var clockOffsetMs = 0; // server time minus client time
  (function computeOffset() {
    var s = metaContent("server-now");
    var t = s ? parseIso(s) : NaN;
    if (!isNaN(t)) {
      var off = t - Date.now();
      // Only trust it for plausible skews (page could come from a cache).
      if (Math.abs(off) < 7 * 24 * 3600 * 1000) clockOffsetMs = off;
    }
  })();

  function parseIso(s) {
    if (!s) return NaN;
    s = String(s).trim().replace(" ", "T");
    // Python isoformat may carry microseconds; some browsers accept only ms.
    s = s.replace(/(\.\d{3})\d+/, "$1");
    return Date.parse(s);
  }

  // Countdown wording follows <html lang> (set from Django's active language).
  var EN = /^en\b/i.test(document.documentElement.lang || "");

  function formatDuration(ms) {
    var totalMin = Math.floor(ms / 60000);
    if (totalMin < 1) return EN ? "under 1 min" : "不足1分";
    var days = Math.floor(totalMin / 1440);
    var hours = Math.floor((totalMin % 1440) / 60);
    var mins = totalMin % 60;
    if (EN) {
      if (days > 0) return days + "d" + (hours ? " " + hours + "h" : "");
      if (hours > 0) return hours + "h " + mins + "m";
      return mins + "m";
    }
    if (days > 0) return days + "天" + (hours ? hours + "小时" : "");
    if (hours > 0) return hours + "小时" + mins + "分";
    return mins + "分";
  }

  function updateCountdowns(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var els = scope.querySelectorAll("[data-countdown]");
    if (scope !== document && scope.hasAttribute && scope.hasAttribute("data-countdown")) {
      els = [scope].concat(Array.prototype.slice.call(els));
    }
    var now = Date.now() + clockOffsetMs;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var deadline = parseIso(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) continue; // leave server-rendered text alone
      var diff = deadline - now;
      var overdue = diff < 0;
      var text = overdue ? (EN ? "overdue " : "已超时 ") + formatDuration(-diff)
                         : (EN ? "remaining " : "剩余 ") + formatDuration(diff);
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("is-overdue", overdue);
      if (!el.hasAttribute("title")) {
        el.setAttribute("title", (EN ? "Deadline: " : "时限：") +
          new Date(deadline).toLocaleString(EN ? "en-GB" : "zh-CN", { hour12: false }));
      }
    }
  }

  onReady(function () { updateCountdowns(document); });
  window.setInterval(function () { updateCountdowns(document); }, 30000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) updateCountdowns(document);
  });

  // ------------------------------------------------- (d) searchable select

  var originalOptions = new WeakMap(); // select -> snapshot of its children

  function snapshot(select) {
    var snap = originalOptions.get(select);
    // If the options were replaced by other code (e.g. an htmx swap of a
    // dependent select), the old snapshot is stale: take a new one.
    if (snap) {
      var known = snap.nodes;
      for (var i = 0; i < select.children.length; i++) {
        if (known.indexOf(select.children[i]) === -1) { snap = null; break; }
      }
    }
    if (!snap) {
      snap = Array.prototype.map.call(select.children, function (child) {
        if (child.tagName === "OPTGROUP") {
          return { group: child, options: Array.prototype.slice.call(child.children) };
        }
        return { option: child };
      });
      snap.nodes = Array.prototype.slice.call(select.children);
      originalOptions.set(select, snap);
    }
    return snap;
  }

  function normalise(s) {
    return (s || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // Plain, case-insensitive substring match on the option text (plus an optional
  // data-keywords attribute); every whitespace-separated term must occur.
  function textMatches(option, terms) {
    var text = normalise(option.textContent + " " + (option.getAttribute("data-keywords") || ""));
    for (var i = 0; i < terms.length; i++) {
      if (text.indexOf(terms[i]) === -1) return false;
    }
    return true;
  }

  function optionMatches(option, terms, selectedSet) {
    if (!terms.length) return true;
    // Always keep the empty choice ("---------") and whatever is selected,
    // so filtering never silently changes the submitted value.
    if (option.value === "" || selectedSet.indexOf(option) !== -1) return true;
    return textMatches(option, terms);
  }

  function filterSelect(input) {
    var sel = input.getAttribute("data-filter-select");
    var select = null;
    try { select = sel ? document.querySelector(sel) : null; } catch (err) { select = null; }
    if (!select || select.tagName !== "SELECT") return;

    var terms = normalise(input.value).split(" ").filter(Boolean);
    var snap = snapshot(select);
    // Remember the selection before any option is moved in the DOM.
    var selected = Array.prototype.filter.call(select.options, function (o) { return o.selected; });
    var frag = document.createDocumentFragment();
    var shown = 0;

    function count(o) { if (o.value !== "" && (!terms.length || textMatches(o, terms))) shown++; }

    snap.forEach(function (item) {
      if (item.group) {
        var kept = item.options.filter(function (o) { return optionMatches(o, terms, selected); });
        // remove all, then re-add the kept ones in original order
        while (item.group.firstChild) item.group.removeChild(item.group.firstChild);
        kept.forEach(function (o) { item.group.appendChild(o); count(o); });
        if (kept.length) frag.appendChild(item.group);
      } else if (optionMatches(item.option, terms, selected)) {
        frag.appendChild(item.option);
        count(item.option);
      }
    });

    // Preserve selection state across the DOM move.
    while (select.firstChild) select.removeChild(select.firstChild);
    select.appendChild(frag);
    selected.forEach(function (o) { o.selected = true; });

    input.setAttribute("aria-controls", select.id || "");
    input.dataset.matches = String(shown);
    select.classList.toggle("is-filtered", terms.length > 0);
    select.dispatchEvent(new CustomEvent("app:filtered", { bubbles: true, detail: { matches: shown } }));
  }

  function firstMatchingOption(select, input) {
    var terms = normalise(input.value).split(" ").filter(Boolean);
    for (var i = 0; i < select.options.length; i++) {
      var o = select.options[i];
      if (o.value !== "" && !o.disabled && textMatches(o, terms)) return o;
    }
    return null;
  }

  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("input[data-filter-select]")) filterSelect(t);
  });

  // Enter in the filter box picks the first match instead of submitting the form;
  // ArrowDown moves focus into the select.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t || !t.matches || !t.matches("input[data-filter-select]") || e.isComposing) return;
    var select = null;
    try { select = document.querySelector(t.getAttribute("data-filter-select")); } catch (err) { return; }
    if (!select) return;
    if (e.key === "Enter") {
      e.preventDefault();
      var first = firstMatchingOption(select, t);
      if (first && !select.multiple) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      select.focus();
    }
  });

  // Escape clears the filter.
  document.addEventListener("keyup", function (e) {
    var t = e.target;
    if (e.key === "Escape" && t && t.matches && t.matches("input[data-filter-select]") && t.value) {
      t.value = "";
      filterSelect(t);
    }
  });

  // ------------------------------------------------- auto-submitting selects

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) {
      if (typeof t.form.requestSubmit === "function") t.form.requestSubmit();
      else t.form.submit();
    }
  });

  // ------------------------------------------------- (e) CSRF for htmx

  document.addEventListener("htmx:configRequest", function (e) {
    var token = metaContent("csrf-token");
    if (token && e.detail && e.detail.headers) {
      e.detail.headers["X-CSRFToken"] = token;
    }
  });

  // New content from htmx: refresh countdowns immediately (and re-apply any
  // filter text the user had typed if the select itself was swapped).
  document.addEventListener("htmx:load", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt) return;
    updateCountdowns(elt);
    var inputs = document.querySelectorAll("input[data-filter-select]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value) filterSelect(inputs[i]);
    }
  });

  // ------------------------------------------------- (f) tap to call
  // A form marked data-dial posts the logged phone reveal; once the number is in, dial it.
  document.addEventListener("htmx:afterSwap", function (e) {
    var form = e.detail && e.detail.requestConfig && e.detail.requestConfig.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-dial")) return;
    var link = e.detail.target && e.detail.target.querySelector('a[href^="tel:"]');
    if (link) window.App.dial(link.href);
  });

  // Small public surface for other scripts/tests.
  window.App = window.App || {};
  window.App.formatDuration = formatDuration;
  window.App.updateCountdowns = updateCountdowns;
  window.App.filterSelect = filterSelect;
  window.App.dial = function (href) { window.location.href = href; };  // opens the phone's dialer
})();
