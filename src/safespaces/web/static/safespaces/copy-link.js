/* A "Copy the link" button beside a read-only field; without JavaScript the field is selectable. */
(function () {
  "use strict";

  function start() {
    var button = document.getElementById("copy-panic-link");
    var field = document.getElementById("panic-link");
    if (!button || !field || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
