/* Grid work pages: the phone's position for a report, the track of a patrol, forms that show what applies. */
(function () {
  "use strict";

  var MIN_STEP_M = 10; // a new track point only after moving this far: GPS jitter is not walking
  var MAX_POINTS = 5000;

  function metres(a, b) {
    var r = 6371008.8, rad = Math.PI / 180;
    var dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * r * Math.asin(Math.sqrt(h));
  }

  function setupLocate(box) {
    var form = box.closest("form");
    var lon = form.querySelector("input[name=longitude]");
    var lat = form.querySelector("input[name=latitude]");
    var button = box.querySelector("#report-locate");
    var status = box.querySelector(".gw-locate-status");
    function say(text, ok) {
      status.textContent = text;
      status.classList.toggle("ok", !!ok);
    }
    function locate() {
      if (!("geolocation" in navigator)) {
        say(box.dataset.msgUnsupported);
        return;
      }
      say(box.dataset.msgLocating);
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          lon.value = pos.coords.longitude.toFixed(6);
          lat.value = pos.coords.latitude.toFixed(6);
          say(box.dataset.msgLocated + " " + lon.value + ", " + lat.value + " (±" + Math.round(pos.coords.accuracy) + " m)", true);
        },
        function () {
          lon.value = "";
          lat.value = "";
          say(box.dataset.msgFailed);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    }
    button.addEventListener("click", locate);
    // Ask at once only when the phone already allowed it; otherwise wait for the button.
    if (!lon.value && navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "geolocation" }).then(function (p) {
        if (p.state === "granted") locate();
      }, function () {});
    }
  }

  function setupSolution(form) {
    var box = form.querySelector("[data-gw-solution]");
    var check = form.querySelector("input[name=solved_on_spot]");
    if (!box || !check) return;
    function sync() { box.hidden = !check.checked; }
    check.addEventListener("change", sync);
    sync();
  }

  function setupVisit(form) {
    var extra = form.querySelector(".gw-if-unsatisfied");
    if (!extra) return;
    function sync() {
      var picked = form.querySelector("input[name=satisfaction]:checked");
      extra.hidden = !(picked && picked.value === "unsatisfied");
    }
    form.addEventListener("change", sync);
    sync();
  }

  function setupTrack(form) {
    var key = "gridwork-track-" + form.dataset.gwTrack;
    var input = form.querySelector("input[name=track]");
    var status = document.querySelector("[data-gw-track-status]");
    var points = [];
    try { points = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { points = []; }
    function show() {
      if (status) status.textContent = form.dataset.msgPoints + " " + points.length;
    }
    show();
    if ("geolocation" in navigator) {
      navigator.geolocation.watchPosition(
        function (pos) {
          var p = [Number(pos.coords.longitude.toFixed(6)), Number(pos.coords.latitude.toFixed(6))];
          var last = points[points.length - 1];
          if (points.length < MAX_POINTS && (!last || metres(last, p) >= MIN_STEP_M)) {
            points.push(p);
            try { localStorage.setItem(key, JSON.stringify(points)); } catch (e) { /* storage full: keep in memory */ }
            show();
          }
        },
        function () { if (status && !points.length) status.textContent = form.dataset.msgNogps; },
        { enableHighAccuracy: true, maximumAge: 30000 }
      );
    } else if (status) {
      status.textContent = form.dataset.msgNogps;
    }
    form.addEventListener("submit", function () {
      input.value = JSON.stringify(points);
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    });
  }

  // The activity page's bars: their height comes from data-n (the Content-Security-Policy refuses style="").
  function setupBar(bar) {
    bar.style.setProperty("--n", bar.dataset.n);
  }

  function init() {
    document.querySelectorAll(".gw-bars [data-n]").forEach(setupBar);
    document.querySelectorAll("[data-gw-locate]").forEach(setupLocate);
    document.querySelectorAll("#report-form").forEach(setupSolution);
    document.querySelectorAll(".gw-visit-form").forEach(setupVisit);
    document.querySelectorAll("form[data-gw-track]").forEach(setupTrack);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
