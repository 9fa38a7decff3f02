/* The public map: counts per cell from /api/v1/map/cells, displaced points at close zoom.
   Everything comes from this site: our copy of Leaflet, our tile proxy, our API. The page
   works without this script (the server draws the list and the summary). */
(function () {
  "use strict";

  var FILTERS = ["category", "from", "to", "hour_from", "hour_to"];

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function label(className, text) {
    // The icon's own element is positioned by Leaflet; the label inside it is centred by CSS.
    var holder = element("div", "");
    holder.appendChild(element("span", className, text));
    return L.divIcon({ className: "map-label", html: holder, iconSize: null });
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function viewport(map) {
    var bounds = map.getBounds();
    var west = bounds.getWest();
    var east = bounds.getEast();
    if (east - west >= 360) {
      west = -180;
      east = 180;
    }
    return [
      clamp(west, -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      clamp(east, -180, 180),
      clamp(bounds.getNorth(), -90, 90)
    ].map(function (value) { return value.toFixed(5); }).join(",");
  }

  function query(map, extra) {
    var params = new URLSearchParams();
    params.set("bbox", viewport(map));
    params.set("zoom", String(clamp(Math.round(map.getZoom()), 0, 20)));
    Object.keys(extra).forEach(function (name) {
      if (extra[name]) {
        params.set(name, extra[name]);
      }
    });
    return params.toString();
  }

  function pageFilters() {
    var current = new URLSearchParams(window.location.search);
    var found = {};
    FILTERS.forEach(function (name) {
      found[name] = current.get(name) || "";
    });
    return found;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      });
  }

  function background(map, box) {
    var data = box.dataset;
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
      return;
    }
    // No tile server: a plain background with the gazetteer's place names.
    box.classList.add("report-map-plain");
    var names = L.layerGroup().addTo(map);
    var latest = 0;
    function refresh() {
      var asked = ++latest;
      getJSON(data.placesUrl + "?" + query(map, {})).then(function (body) {
        if (asked !== latest) {
          return;
        }
        names.clearLayers();
        body.places.forEach(function (place) {
          L.marker([place.latitude, place.longitude], {
            icon: label("map-place map-place-" + place.kind, place.name),
            interactive: false,
            keyboard: false
          }).addTo(names);
        });
      }).catch(function () { names.clearLayers(); });
    }
    map.on("moveend", refresh);
    refresh();
  }

  function showCells(map, box) {
    var data = box.dataset;
    var status = document.getElementById("report-map-status");
    var drawn = L.layerGroup().addTo(map);
    var filters = pageFilters();
    var latest = 0;
    function draw(body) {
      drawn.clearLayers();
      body.cells.forEach(function (cell) {
        L.polygon(cell.boundary, { className: "map-cell", weight: 1 }).addTo(drawn);
        L.marker(cell.centre, {
          icon: label("map-count", String(cell.count)),
          title: data.labelReports.replace("{count}", String(cell.count)),
          keyboard: false
        }).addTo(drawn);
      });
      body.points.forEach(function (point) {
        var link = element("a", "", data.labelPoint);
        link.href = data.reportUrl.replace("REPORTID", encodeURIComponent(point.public_id));
        L.circleMarker([point.latitude, point.longitude], { className: "map-point", radius: 7 })
          .bindPopup(link)
          .addTo(drawn);
      });
    }
    function refresh() {
      var asked = ++latest;
      getJSON(data.cellsUrl + "?" + query(map, filters)).then(function (body) {
        if (asked === latest) {
          status.textContent = "";
          draw(body);
        }
      }).catch(function () {
        if (asked === latest) {
          status.textContent = data.labelError;
        }
      });
    }
    map.on("moveend", refresh);
    refresh();
  }

  function showSafeSpaces(map, box) {
    // Safe spaces that are not confidential, as a layer the visitor can switch off.
    var data = box.dataset;
    var layer = L.layerGroup().addTo(map);
    var latest = 0;
    function refresh() {
      var asked = ++latest;
      var params = new URLSearchParams();
      params.set("bbox", viewport(map));
      getJSON(data.safeSpacesUrl + "?" + params.toString()).then(function (body) {
        if (asked !== latest) {
          return;
        }
        layer.clearLayers();
        body.features.forEach(function (feature) {
          var link = element("a", "", feature.properties.name);
          link.href = data.safeSpaceUrl.replace(
            "00000000-0000-0000-0000-000000000000",
            encodeURIComponent(feature.properties.id)
          );
          var where = feature.geometry.coordinates;
          L.circleMarker([where[1], where[0]], { className: "map-safe-space", radius: 8 })
            .bindPopup(link)
            .addTo(layer);
        });
      }).catch(function () { layer.clearLayers(); });
    }
    var overlays = {};
    overlays[data.labelSafeSpaces] = layer;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    map.on("moveend", refresh);
    refresh();
  }

  function showReport(map, box) {
    var centre = [parseFloat(box.dataset.latitude), parseFloat(box.dataset.longitude)];
    var circle = L.circle(centre, {
      radius: parseFloat(box.dataset.radius),
      className: "map-uncertainty",
      interactive: false
    }).addTo(map);
    map.fitBounds(circle.getBounds());
  }

  function start() {
    var box = document.getElementById("report-map");
    if (!box || typeof L === "undefined") {
      return;
    }
    box.hidden = false;
    var rightToLeft = document.documentElement.dir === "rtl";
    var map = L.map(box, { zoomControl: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.setPosition(rightToLeft ? "bottomleft" : "bottomright");
    L.control.zoom({ position: rightToLeft ? "topright" : "topleft" }).addTo(map);
    map.setView(
      [parseFloat(box.dataset.latitude), parseFloat(box.dataset.longitude)],
      parseInt(box.dataset.zoom, 10)
    );
    background(map, box);
    if (box.dataset.mode === "report") {
      showReport(map, box);
    } else {
      showCells(map, box);
    }
    if (box.dataset.safeSpacesUrl) {
      showSafeSpaces(map, box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
