// Small behaviours of every page, here rather than in inline handlers: the
// Content-Security-Policy runs no inline script.
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option submits its form (cycle and unit pickers).
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) field.form.submit();
  });
})();
