/*
 * 常用语 pickers (templates/phrases/_picker.html): select[data-phrase-for="<textarea id>"].
 * Enter on the list, the 插入 button or a click on an option inserts the chosen text into the field at
 * its caret (replacing a selection), then puts the caret after it. Arrow keys only move in the list,
 * so browsing with the keyboard never inserts.
 */
(function () {
  "use strict";

  function insert(select) {
    var target = document.getElementById(select.getAttribute("data-phrase-for"));
    var text = select.value;
    if (!target || !text) return;
    var start = typeof target.selectionStart === "number" ? target.selectionStart : target.value.length;
    var end = typeof target.selectionEnd === "number" ? target.selectionEnd : start;
    target.value = target.value.slice(0, start) + text + target.value.slice(end);
    var caret = start + text.length;
    target.focus();
    target.setSelectionRange(caret, caret);
    target.dispatchEvent(new Event("input", { bubbles: true }));
    select.value = "";
  }

  var pointer = false;
  document.addEventListener("mousedown", function (e) {
    pointer = !!(e.target.closest && e.target.closest("select[data-phrase-for]"));
  });
  document.addEventListener("keydown", function (e) {
    var select = e.target.closest && e.target.closest("select[data-phrase-for]");
    pointer = false;
    if (select && e.key === "Enter") {
      e.preventDefault();  // never submits the action form
      insert(select);
    }
  });
  document.addEventListener("change", function (e) {
    if (pointer && e.target.matches("select[data-phrase-for]")) insert(e.target);
    pointer = false;
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-phrase-insert]");
    if (!button) return;
    var select = button.parentNode.querySelector("select[data-phrase-for]");
    if (select) insert(select);
  });
})();
