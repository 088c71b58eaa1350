// The staff site's few behaviours, as a script file: the Content-Security-Policy allows no inline handler.
(function () {
  "use strict";
  // The language menu applies the choice at once (a Go button stands in without JavaScript).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });
  // Buttons that print the page (the assessment reports).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();
