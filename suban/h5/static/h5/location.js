/* Where the problem is: the phone's position, or a point tapped on the grid map (ECharts over our own
   grids GeoJSON, no tile server). Both fill the hidden longitude/latitude fields; the address field is there
   without JavaScript. */
(function () {
  "use strict";
  var lon = document.getElementById("id_longitude");
  var lat = document.getElementById("id_latitude");
  // A page that wraps this form may fill in a point of another system (gcj02, bd09) for the server to
  // convert; the phone's GPS and our map both give WGS-84, and say so when they set the point.
  var system = document.getElementById("id_coordinate_system");
  var status = document.getElementById("location-status");
  var buttons = document.getElementById("locate-buttons");
  var gpsButton = document.getElementById("locate-gps");
  var mapButton = document.getElementById("pick-on-map");
  var clearButton = document.getElementById("clear-location");
  var mapBox = document.getElementById("grid-map");
  if (!lon || !lat || !status || !buttons || !mapBox) { return; }

  var text = status.dataset;
  var geo = null; // the FeatureCollection, once loaded
  var geoLoading = null;
  var chart = null;
  buttons.hidden = false;
  if (!("geolocation" in navigator)) { gpsButton.hidden = true; }
  if (lon.value && lat.value) { clearButton.hidden = false; }

  function say(message, warn) {
    status.textContent = message;
    status.style.color = warn ? "#b26b00" : "";
  }

  // --- Which grid holds a point: ray casting over the rings; the smallest grid wins (special grids lie
  // inside basic ones).
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function ringArea(ring) {
    var sum = 0;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      sum += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
    }
    return Math.abs(sum / 2);
  }
  function polygons(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === "Polygon") { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
    return [];
  }
  function gridAt(x, y) {
    if (!geo) { return null; }
    var best = null, bestArea = Infinity;
    geo.features.forEach(function (feature) {
      polygons(feature.geometry).forEach(function (rings) {
        if (!rings.length || !inRing(x, y, rings[0])) { return; }
        for (var h = 1; h < rings.length; h++) { if (inRing(x, y, rings[h])) { return; } }
        var area = ringArea(rings[0]);
        if (area < bestArea) { best = feature; bestArea = area; }
      });
    });
    return best;
  }

  function describe() {
    if (!lon.value || !lat.value) { return; }
    var x = parseFloat(lon.value), y = parseFloat(lat.value);
    var message = text.located + " (" + y.toFixed(5) + ", " + x.toFixed(5) + ")";
    var wgs84 = !system || !system.value || system.value === "wgs84";
    if (geo && wgs84) { // our grids are WGS-84: another system's point would name the wrong grid
      var grid = gridAt(x, y);
      if (grid) {
        var name = grid.properties.name;
        if (grid.properties.community) { name = grid.properties.community + " · " + name; }
        say(message + " · " + text.inGrid.replace("%s", name));
      } else {
        say(message + " · " + text.outside, true);
      }
    } else {
      say(message);
    }
  }

  function drawPoint() {
    if (!chart) { return; }
    var data = lon.value && lat.value ? [[parseFloat(lon.value), parseFloat(lat.value)]] : [];
    chart.setOption({ series: [{ data: data }] });
  }

  function setPoint(x, y) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    if (system) { system.value = "wgs84"; }
    clearButton.hidden = false;
    describe();
    drawPoint();
  }

  function loadGeo() {
    if (!geoLoading) {
      geoLoading = fetch(mapButton.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) { geo = data; return data; });
    }
    return geoLoading;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.echarts) { resolve(); return; }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("echarts")); };
      document.head.appendChild(script);
    });
  }

  // ECharts lays the map out anew on a resize; a box without width or height at that moment (hidden, or
  // between two layouts on a phone) gives it a transform it cannot invert, and it throws. Only a box that
  // has a size is laid out again, on the next frame.
  var resizeQueued = false;
  function resizeMap() {
    if (!chart || resizeQueued) { return; }
    resizeQueued = true;
    window.requestAnimationFrame(function () {
      resizeQueued = false;
      if (!mapBox.hidden && mapBox.clientWidth > 0 && mapBox.clientHeight > 0) { chart.resize(); }
    });
  }

  function openMap() {
    mapBox.hidden = false;
    if (chart) { resizeMap(); return; }
    Promise.all([loadScript(mapButton.dataset.echarts), loadGeo()])
      .then(function (results) {
        var data = results[1];
        if (!data.features || !data.features.length) { throw new Error("no grids"); }
        window.echarts.registerMap("suban-grids", data);
        chart = window.echarts.init(mapBox);
        var point = lon.value && lat.value ? [parseFloat(lon.value), parseFloat(lat.value)] : null;
        chart.setOption({
          animation: false,
          geo: {
            map: "suban-grids",
            roam: true,
            scaleLimit: { min: 1, max: 40 },
            center: point || undefined,
            zoom: point ? 4 : 1,
            label: { show: false },
            itemStyle: { areaColor: "#fdf0f0", borderColor: "#c8161d", borderWidth: 0.6 },
            emphasis: { label: { show: true, fontSize: 11 }, itemStyle: { areaColor: "#f7d4d6" } },
            select: { disabled: true }
          },
          series: [{
            type: "scatter",
            coordinateSystem: "geo",
            symbol: "pin",
            symbolSize: 30,
            itemStyle: { color: "#c8161d" },
            data: point ? [point] : []
          }]
        });
        // A tap sets the point; a drag (moving the map) does not.
        var down = null;
        chart.getZr().on("mousedown", function (event) { down = [event.offsetX, event.offsetY]; });
        chart.getZr().on("click", function (event) {
          if (down && Math.abs(event.offsetX - down[0]) + Math.abs(event.offsetY - down[1]) > 8) { return; }
          var coords = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
          if (coords && isFinite(coords[0]) && isFinite(coords[1])) { setPoint(coords[0], coords[1]); }
        });
        window.addEventListener("resize", resizeMap);
        if (!lon.value) { say(text.tapHint); } else { describe(); }
      })
      .catch(function () {
        mapBox.hidden = true;
        say(text.mapFailed, true);
      });
  }

  gpsButton.addEventListener("click", function () {
    say(text.locating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setPoint(position.coords.longitude, position.coords.latitude);
        loadGeo().then(describe, function () { /* the grid name is a nicety */ });
      },
      function () { say(text.denied, true); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
  mapButton.addEventListener("click", openMap);
  clearButton.addEventListener("click", function () {
    lon.value = "";
    lat.value = "";
    if (system) { system.value = "wgs84"; }
    clearButton.hidden = true;
    say("");
    drawPoint();
  });
})();
