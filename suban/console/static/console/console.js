/* The staff console's small behaviours. No framework: htmx posts the forms, this file adds the rest. */
(function () {
  "use strict";

  // A refused form comes back as 400/409 with the form drawn again: swap it in like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // "+ another" next to a list of unit inputs (co-handlers): one more empty input.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-input]");
    if (!button) return;
    event.preventDefault();
    var box = button.closest("[data-many]");
    var inputs = box.querySelectorAll("input[type=text]");
    var last = inputs[inputs.length - 1];
    var copy = last.cloneNode(false);
    copy.value = "";
    copy.removeAttribute("id");
    box.insertBefore(copy, button);
    if (window.htmx) window.htmx.process(copy);
    copy.focus();
  });

  // Submitting: disable the button so a double click sends the action once.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest("form.act-form");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form.act-form");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
  });

  // ECharts cannot lay a map out in a box without width or height: it throws on the next draw. Draw and
  // resize only while the box has a size (it has none while hidden, or for a moment while the page reflows).
  function hasSize(el) { return el.clientWidth > 0 && el.clientHeight > 0; }
  function whenSized(el, draw) {
    if (hasSize(el) || !window.ResizeObserver) { draw(); return; }
    var observer = new ResizeObserver(function () {
      if (hasSize(el)) { observer.disconnect(); draw(); }
    });
    observer.observe(el);
  }

  function drawMap(el) {
    if (!window.echarts) return;
    fetch(el.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (!data.features.length && !data.point) {
          el.classList.add("empty");
          el.textContent = el.dataset.emptyText || "";
          return;
        }
        var names = {};
        var own = [];
        data.features.forEach(function (f) {
          names[f.properties.code] = f.properties.name;
          if (f.properties.own) own.push({ name: f.properties.code, itemStyle: { areaColor: "#ffe1e2", borderColor: "#c8161d", borderWidth: 2 } });
        });
        var mapName = "case-" + el.dataset.case;
        window.echarts.registerMap(mapName, { type: "FeatureCollection", features: data.features });
        var option = {
          animation: false,
          tooltip: { trigger: "item" },
          geo: {
            map: mapName,
            nameProperty: "code",
            roam: true,
            // A region's tooltip is the geo component's own (the chart-wide formatter is not asked): its name,
            // not its code. A formatter returns HTML: the names (from imports) are escaped; labels are canvas text.
            tooltip: { show: true, formatter: function (p) { return window.echarts.format.encodeHTML(names[p.name] || p.name); } },
            label: { show: true, fontSize: 10, color: "#57606a", formatter: function (p) { return names[p.name] || ""; } },
            itemStyle: { areaColor: "#f3f5f7", borderColor: "#8c959f", borderWidth: 1 },
            emphasis: { label: { color: "#1f2328" }, itemStyle: { areaColor: "#fff4c2" } },
            regions: own
          },
          series: data.point ? [{
            type: "effectScatter",
            coordinateSystem: "geo",
            data: [{ name: el.dataset.pointLabel || "", value: data.point }],
            symbolSize: 12,
            itemStyle: { color: "#c8161d" },
            tooltip: { formatter: function () { return window.echarts.format.encodeHTML(el.dataset.pointLabel || ""); } }
          }] : []
        };
        whenSized(el, function () {
          var chart = window.echarts.init(el, null, { renderer: "canvas" });
          chart.setOption(option);
          window.addEventListener("resize", function () { if (hasSize(el)) chart.resize(); });
        });
      })
      .catch(function () {
        el.classList.add("empty");
        el.textContent = el.dataset.errorText || "";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map-url]").forEach(drawMap);
  });
})();
