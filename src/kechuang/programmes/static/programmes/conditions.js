/* Fields shown on a condition (programmes forms as data, issue #18): a field whose wrapper carries
   data-show-if-field="f2" data-show-if-equals="企业" shows only while the single-choice field f2 has that
   option (and f2 itself shows). A hidden field's inputs are disabled, so the browser neither checks nor sends
   them; the server drops a hidden field's value in any case. Without JavaScript every field shows. */
(function () {
  "use strict";

  function wrapperOf(form, key) {
    return form.querySelector('.field[data-key="' + CSS.escape(key) + '"]');
  }

  function valueOf(form, key) {
    var el = form.elements.namedItem(key);
    if (!el) return null;
    if (el.tagName === "SELECT" || el.tagName === "INPUT") return el.disabled ? null : el.value;
    if (!el.length) return null;
    // a radio group
    for (var i = 0; i < el.length; i++) {
      if (el[i].checked && !el[i].disabled) return el[i].value;
    }
    return null;
  }

  function apply(form) {
    // In document order: a condition names an earlier field, so its state is already known.
    var shown = {};
    form.querySelectorAll(".field[data-key]").forEach(function (wrap) {
      var key = wrap.getAttribute("data-key");
      var source = wrap.getAttribute("data-show-if-field");
      var visible = true;
      if (source) {
        visible = shown[source] !== false && valueOf(form, source) === wrap.getAttribute("data-show-if-equals");
      }
      shown[key] = visible;
      wrap.hidden = !visible;
      wrap.querySelectorAll("input, select, textarea, button").forEach(function (el) {
        // only what this script disabled is enabled again (a row template may be disabled on its own)
        if (!visible && !el.disabled) {
          el.disabled = true;
          el.setAttribute("data-condition-disabled", "");
        } else if (visible && el.hasAttribute("data-condition-disabled")) {
          el.disabled = false;
          el.removeAttribute("data-condition-disabled");
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("form[data-conditions]").forEach(function (form) {
      apply(form);
      form.addEventListener("change", function () { apply(form); });
      form.addEventListener("input", function () { apply(form); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
