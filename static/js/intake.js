/*
 * Intake form behaviour (no inline script under the CSP):
 *   [data-show-when="<field>"][data-values="a b"]  shown only when that field's value is one of the values
 *   letters and visits: the received time must be entered, so the "now" default is cleared
 *   Ctrl+Enter (or Cmd+Enter) in a textarea submits the form
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
  });

  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.tagName === "TEXTAREA") {
      e.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
    }
  });

  // A second Enter while the first submission is on its way must not log the call twice
  // (the server also ignores a repeated idempotency key).
  form.addEventListener("submit", function () {
    var button = document.getElementById("intake-submit");
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });

  form.addEventListener("reset", function () {
    window.setTimeout(function () { applyVisibility(); }, 0);
  });

  applyVisibility();
})();
