/* The safe-space finder with JavaScript: "Use my location" fills the form's point and sends
   it; the results are drawn on a map. Without this script, typing a place is enough. */
(function () {
  "use strict";

  function field(form, name) {
    return form.querySelector("input[name='" + name + "']");
  }

  function locateButton(form) {
    var block = document.getElementById("finder-locate");
    if (!block || !("geolocation" in navigator)) {
      return;
    }
    var status = document.getElementById("finder-status");
    block.hidden = false;
    document.getElementById("use-my-location").addEventListener("click", function () {
      status.textContent = block.dataset.statusLocating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          field(form, "latitude").value = position.coords.latitude.toFixed(6);
          field(form, "longitude").value = position.coords.longitude.toFixed(6);
          form.submit();
        },
        function () {
          status.textContent = block.dataset.statusFailed;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }

  function clearPointWhenTyping(form) {
    // A typed place wins over a point found earlier.
    var place = field(form, "place");
    place.addEventListener("input", function () {
      field(form, "latitude").value = "";
      field(form, "longitude").value = "";
    });
  }

  function resultsMap() {
    var box = document.getElementById("finder-map");
    if (!box || typeof window.L === "undefined") {
      return;
    }
    var L = window.L;
    box.hidden = false;
    var rightToLeft = document.documentElement.dir === "rtl";
    var here = [parseFloat(box.dataset.latitude), parseFloat(box.dataset.longitude)];
    var map = L.map(box, { zoomControl: false });
    map.attributionControl.setPrefix(false);
    L.control.zoom({ position: rightToLeft ? "topright" : "topleft" }).addTo(map);
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.attribution || "" })
        .addTo(map);
    }
    var points = [here];
    L.circleMarker(here, { radius: 6, className: "finder-here" }).addTo(map);
    document.querySelectorAll(".venue-card[data-latitude]").forEach(function (card) {
      var point = [parseFloat(card.dataset.latitude), parseFloat(card.dataset.longitude)];
      points.push(point);
      L.circleMarker(point, { radius: 9, className: "finder-venue" })
        .bindTooltip(card.dataset.name)
        .addTo(map);
    });
    map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 16 });
  }

  function start() {
    var form = document.getElementById("finder-form");
    if (form) {
      locateButton(form);
      clearPointWhenTyping(form);
    }
    resultsMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
