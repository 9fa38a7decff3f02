/* The moderation console: the report's map (exact point, displaced public point) and the
   queue's "select every report" button. The pages work without this script. */
(function () {
  "use strict";

  // A transparent pixel: a tile the proxy cannot serve leaves a plain background.
  var BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

  function number(element, name) {
    var value = element.getAttribute("data-" + name);
    return value === null ? null : parseFloat(value);
  }

  function fillLocation(latlng) {
    var form = document.getElementById("location-form");
    if (!form) {
      return;
    }
    form.querySelector("[name=latitude]").value = latlng.lat.toFixed(7);
    form.querySelector("[name=longitude]").value = latlng.lng.toFixed(7);
  }

  function drawMap(element) {
    if (typeof L === "undefined") {
      return;
    }
    var exact = [number(element, "latitude"), number(element, "longitude")];
    var shown = [number(element, "public-latitude"), number(element, "public-longitude")];
    var map = L.map(element, { attributionControl: false });
    L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19,
      errorTileUrl: BLANK_TILE
    }).addTo(map);
    var points = [];
    if (exact[0] !== null && exact[1] !== null) {
      L.circleMarker(exact, { radius: 8, color: "#a3231b", fillOpacity: 0.8 }).addTo(map);
      points.push(exact);
    }
    if (shown[0] !== null && shown[1] !== null) {
      L.circleMarker(shown, { radius: 8, color: "#5b2a86", dashArray: "4 4", fillOpacity: 0.3 })
        .addTo(map);
      points.push(shown);
    }
    if (points.length > 1) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 17 });
    } else {
      map.setView(points[0], 16);
    }
    map.on("click", function (event) {
      fillLocation(event.latlng);
    });
  }

  function selectAll(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var boxes = document.querySelectorAll("#bulk-form input[name=reports]");
      var unchecked = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      Array.prototype.forEach.call(boxes, function (box) { box.checked = unchecked; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("report-map");
    if (map) {
      drawMap(map);
    }
    var button = document.getElementById("select-all");
    if (button) {
      selectAll(button);
    }
  });
})();
