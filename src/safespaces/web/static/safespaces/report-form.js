// Report form, step 1: choose the place on a map or by the device's location.
// Without JavaScript the map stays hidden and the typed place is enough.
(function () {
  "use strict";

  var DEFAULT_ZOOM = 12;
  var WORLD_ZOOM = 2;

  // How precise a point is: from the zoom a reporter tapped at, or the device's accuracy.
  function precisionForZoom(zoom) {
    if (zoom >= 17) {
      return "exact";
    }
    if (zoom >= 14) {
      return "street";
    }
    return zoom >= 11 ? "area" : "city";
  }

  function precisionForAccuracy(metres) {
    if (metres <= 50) {
      return "exact";
    }
    if (metres <= 300) {
      return "street";
    }
    return metres <= 3000 ? "area" : "city";
  }

  function field(form, name) {
    return form.querySelector("input[name='" + name + "']");
  }

  function start() {
    var block = document.getElementById("report-map-block");
    if (!block || typeof window.L === "undefined") {
      return;
    }
    var form = block.closest("form");
    var latitude = field(form, "latitude");
    var longitude = field(form, "longitude");
    var precision = field(form, "point_precision");
    var status = document.getElementById("point-status");
    var clear = document.getElementById("clear-point");
    var locate = document.getElementById("use-my-location");
    var L = window.L;
    var marker = null;

    block.hidden = false;
    var hasCentre = block.dataset.latitude !== undefined;
    var centre = hasCentre
      ? [parseFloat(block.dataset.latitude), parseFloat(block.dataset.longitude)]
      : [0, 0];
    var map = L.map("report-map", { attributionControl: false }).setView(
      centre,
      hasCentre ? DEFAULT_ZOOM : WORLD_ZOOM
    );
    L.tileLayer(block.dataset.tiles, { maxZoom: 19 }).addTo(map);

    function say(text) {
      status.textContent = text || "";
    }

    function place(lat, lng, level) {
      latitude.value = lat.toFixed(6);
      longitude.value = lng.toFixed(6);
      precision.value = level;
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], { radius: 9, weight: 3 }).addTo(map);
      }
      clear.hidden = false;
      say(block.dataset.statusSet);
    }

    function forget() {
      latitude.value = "";
      longitude.value = "";
      precision.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      clear.hidden = true;
      say("");
    }

    if (latitude.value && longitude.value) {
      place(parseFloat(latitude.value), parseFloat(longitude.value), precision.value || "exact");
      map.setView([parseFloat(latitude.value), parseFloat(longitude.value)], DEFAULT_ZOOM + 3);
    }

    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, precisionForZoom(map.getZoom()));
    });
    clear.addEventListener("click", forget);

    if (!("geolocation" in navigator)) {
      locate.hidden = true;
      return;
    }
    locate.addEventListener("click", function () {
      say(block.dataset.statusLocating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var coords = position.coords;
          place(coords.latitude, coords.longitude, precisionForAccuracy(coords.accuracy));
          map.setView([coords.latitude, coords.longitude], DEFAULT_ZOOM + 4);
        },
        function () {
          say(block.dataset.statusFailed);
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
