// Quick exit (SECURITY.md 5): replace this page with a neutral site so Back does not return.
// Without JavaScript the control is a plain link to the same site.
(function () {
  "use strict";

  function leave(control) {
    document.documentElement.hidden = true;
    window.location.replace(control.href);
  }

  function start() {
    var control = document.getElementById("quick-exit");
    if (!control) {
      return;
    }
    control.addEventListener("click", function (event) {
      event.preventDefault();
      leave(control);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        leave(control);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
