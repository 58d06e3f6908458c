/*
 * Intake form behaviour (no inline script under the CSP):
 *   [data-show-when="<field>"][data-values="a b"]  shown only when that field's value is one of the values
 *   letters and visits: the received time must be entered, so the "now" default is cleared
 *   Ctrl+Enter (or Cmd+Enter) in a textarea submits the form
 *   the description's counter (data-max), and before submit the server's rules mirrored: every empty
 *   required field, phone-or-account, a complaint's category, the phone's pattern, the length limit —
 *   all shown at once next to their fields; the server checks the same rules again
 *   [data-use-caller] (earlier tickets panel): fills the empty name, address and account fields with the
 *   values the server put on the button
 */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;

  function value(name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }

  function applyVisibility() {
    var blocks = form.querySelectorAll("[data-show-when]");
    for (var i = 0; i < blocks.length; i++) {
      var b = blocks[i];
      var wanted = (b.getAttribute("data-values") || "").split(/\s+/);
      var show = wanted.indexOf(value(b.getAttribute("data-show-when"))) !== -1;
      // Keep blocks with errors visible so the message is never hidden.
      if (b.querySelector(".errorlist")) show = true;
      b.hidden = !show;
    }
  }

  var received = form.elements["received_at"];
  var defaultReceived = received ? received.value : "";
  function onChannel() {
    if (!received) return;
    var entered = ["letter", "visit"].indexOf(value("channel")) !== -1;
    if (entered && received.value === defaultReceived) {
      received.value = "";
      received.setAttribute("required", "required");
    } else if (!entered) {
      received.removeAttribute("required");
      if (!received.value) received.value = defaultReceived;
    }
  }

  form.addEventListener("change", function (e) {
    var name = e.target && e.target.name;
    if (name === "channel") onChannel();
    if (name === "channel" || name === "kind" || name === "service_type") applyVisibility();
    if (name === "kind") categoryRequired();
  });

  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.tagName === "TEXTAREA") {
      e.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
    }
  });

  var description = form.elements["description"];
  var counter = document.getElementById("description-count");
  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }
  function count() {
    if (!description || !counter) return;
    var max = parseInt(description.getAttribute("data-max"), 10);
    var n = description.value.length;
    counter.textContent = fmt(counter.getAttribute("data-template"), { n: n, max: max }) +
      (n > max ? "　" + fmt(counter.getAttribute("data-over"), { over: n - max }) : "");
    counter.classList.toggle("text-danger", n > max);
  }
  if (description) description.addEventListener("input", count);

  function categoryRequired() {
    var label = document.getElementById("category-label");
    if (label) label.classList.toggle("required", value("kind") === "complaint");
  }

  // The messages come translated from the page (data-msg-* on the form), the same as the server's.
  var MESSAGES = {
    required: form.getAttribute("data-msg-required"),
    phoneOrAccount: form.getAttribute("data-msg-phone-or-account"),
    category: form.getAttribute("data-msg-category"),
    phone: form.getAttribute("data-msg-phone")
  };

  function clientErrors() {
    var errors = {};
    function bad(name, message) { (errors[name] = errors[name] || []).push(message); }
    ["customer_name", "description"].forEach(function (name) {
      if (!value(name).trim()) bad(name, MESSAGES.required);
    });
    if (received && received.hasAttribute("required") && !received.value) bad("received_at", MESSAGES.required);
    if (!value("customer_phone").trim() && !value("account_no").trim()) bad("customer_phone", MESSAGES.phoneOrAccount);
    var phone = form.elements["customer_phone"];
    if (phone && phone.validity && phone.validity.patternMismatch) bad("customer_phone", MESSAGES.phone);
    if (value("kind") === "complaint" && !value("category")) bad("category", MESSAGES.category);
    if (description && description.value.length > parseInt(description.getAttribute("data-max"), 10)) {
      bad("description", counter ? counter.textContent : "");
    }
    return errors;
  }

  function showErrors(errors) {
    var old = form.querySelectorAll(".errorlist[data-client]");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var fields = form.querySelectorAll("[aria-invalid][data-client-invalid]");
    for (var j = 0; j < fields.length; j++) {
      fields[j].removeAttribute("aria-invalid"); fields[j].removeAttribute("data-client-invalid");
      fields[j].classList.remove("is-invalid");
    }
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var el = form.elements[name];
      if (!el) return;
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = el.id + "_client_errors";
      list.setAttribute("data-client", "");
      errors[name].forEach(function (m) { var li = document.createElement("li"); li.textContent = m; list.appendChild(li); });
      el.insertAdjacentElement("afterend", list);
      el.classList.add("is-invalid");
      el.setAttribute("aria-invalid", "true"); el.setAttribute("data-client-invalid", "");
      el.setAttribute("aria-describedby", list.id);
      if (!first) first = el;
    });
    if (first) first.focus();
    return !first;
  }

  // A second Enter while the first submission is on its way must not log the call twice
  // (the server also ignores a repeated idempotency key).
  form.addEventListener("submit", function (e) {
    // An answer-at-once button (outage, knowledge base: formaction) logs an enquiry the server completes.
    var answered = e.submitter && e.submitter.hasAttribute("formaction");
    if (!answered && !showErrors(clientErrors())) { e.preventDefault(); return; }
    var button = document.getElementById("intake-submit");
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });

  form.addEventListener("reset", function () {
    window.setTimeout(function () { applyVisibility(); categoryRequired(); count(); showErrors({}); }, 0);
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-use-caller]");
    if (!button) return;
    [["customer_name", "data-customer-name"], ["address", "data-address"], ["account_no", "data-account-no"]]
      .forEach(function (pair) {
        var el = form.elements[pair[0]];
        var v = button.getAttribute(pair[1]) || "";
        if (el && v && !el.value.trim()) {  // what the agent already typed is never replaced
          el.value = v;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    var next = document.getElementById("category-filter") || form.elements["category"];
    if (next) next.focus();
  });

  applyVisibility();
  count();
})();
