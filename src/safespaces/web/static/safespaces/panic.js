/* The panic page: adds the phone's position to the alert and location forms. The page works
   without this script; with it, a form waits at most data-locate-wait milliseconds for the
   position, then goes without it (an alert must never wait on a permission prompt). */
(function () {
  "use strict";

  function fill(form, position) {
    form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
    form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
    say(form, "labelLocated");
  }

  function say(form, label) {
    var status = form.querySelector(".locate-status");
    if (status) {
      status.textContent = status.dataset[label] || "";
    }
  }

  function hasPosition(form) {
    return form.querySelector("[name=latitude]").value !== "";
  }

  function locateThenSend(form) {
    var sent = false;
    function send() {
      if (!sent) {
        sent = true;
        form.submit();
      }
    }
    say(form, "labelLocating");
    window.setTimeout(send, parseInt(form.dataset.locateWait, 10) || 3000);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        if (!sent) {
          fill(form, position);
        }
        send();
      },
      send,
      { enableHighAccuracy: true, maximumAge: 60000 }
    );
  }

  function watch(form) {
    form.addEventListener("submit", function (event) {
      if (hasPosition(form)) {
        return;
      }
      event.preventDefault();
      locateThenSend(form);
    });
  }

  function prefill(forms) {
    // Only when the position was allowed before: opening the page never asks by itself.
    if (!navigator.permissions) {
      return;
    }
    navigator.permissions.query({ name: "geolocation" }).then(function (state) {
      if (state.state !== "granted") {
        return;
      }
      navigator.geolocation.getCurrentPosition(function (position) {
        forms.forEach(function (form) { fill(form, position); });
      }, function () {}, { enableHighAccuracy: true, maximumAge: 60000 });
    }).catch(function () {});
  }

  function start() {
    if (!("geolocation" in navigator)) {
      return;
    }
    var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-locate]"));
    forms.forEach(watch);
    prefill(forms);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
