/* The leaders' big screen: each panel fetches its own JSON from /api/dashboard/ and draws it with ECharts;
   the whole screen refreshes every data-refresh seconds. The grid map is our own GeoJSON (no tile server).
   Every chart element opens the cases behind it (the addresses come from the page: dashboard-links).
   Names come from imports and admins: a tooltip formatter returns HTML, so every datum in it goes through
   esc() (ECharts' own encodeHTML); labels, legends and axis names are drawn on the canvas, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.echarts) return;
  var L = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var LINKS = JSON.parse(document.getElementById("dashboard-links").textContent);
  var esc = window.echarts.format.encodeHTML;
  var api = root.dataset.api;
  var unit = root.dataset.unit || "";
  var refresh = Math.max(5, parseInt(root.dataset.refresh, 10) || 30) * 1000;
  // The district's time: the server's clock (its offset from this PC's, renewed by every live refresh) in
  // the district's zone, so a big-screen PC set to another zone or a wrong clock still shows the right time.
  var zone = root.dataset.timeZone || undefined;
  var skew = parseInt(root.dataset.serverNow, 10) * 1000 - Date.now() || 0;
  function districtTime(ms) {
    var at = new Date(ms);
    try {
      return {
        date: at.toLocaleDateString("zh-CN", { timeZone: zone, year: "numeric", month: "long", day: "numeric", weekday: "long" }),
        time: at.toLocaleTimeString("zh-CN", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
      };
    } catch (e) { // an unknown zone name: the PC's own
      return { date: at.toLocaleDateString(), time: at.toLocaleTimeString() };
    }
  }
  var days = 30;
  var charts = {};
  var mapReady = false;
  var centres = {};
  var names = {};
  var text = { color: "#9fb7d0" };
  var axisLine = { lineStyle: { color: "#1d3a5c" } };
  var split = { lineStyle: { color: "#132a45" } };

  function url(path, params) {
    var q = new URLSearchParams(params || {});
    if (unit) q.set("unit", unit);
    var s = q.toString();
    return api + path + (s ? "?" + s : "");
  }
  function get(path, params) {
    return fetch(url(path, params), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(path + " " + r.status)); });
  }
  function chart(id) {
    if (!charts[id]) {
      var el = document.getElementById(id);
      if (!el || !el.clientWidth || !el.clientHeight) return null;
      charts[id] = window.echarts.init(el, null, { renderer: "canvas" });
    }
    return charts[id];
  }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  // "label: value" in the page's language (a full-width colon in Chinese); both parts already escaped.
  function fill(words, parts) {
    return words.replace(/%\((\w+)\)s/g, function (all, key) { return key in parts ? parts[key] : all; });
  }
  function kv(label, value) { return fill(L.pair, { label: label, value: value }); }
  // Open the cases behind a chart element: `path` (a {id} in it filled in) with the query `params`.
  function go(path, params, fill) {
    var to = path.replace("{id}", encodeURIComponent(fill === undefined ? "" : fill));
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) { if (params[k] !== null && params[k] !== undefined && params[k] !== "") q.set(k, params[k]); });
    var s = q.toString();
    window.location.assign(to + (s ? (to.indexOf("?") < 0 ? "?" : "&") + s : ""));
  }
  // A click anywhere in a cartesian chart's plot (not only on a thin line): the category under the pointer.
  function onCategory(c, gridIndex, handle) {
    c.getZr().off("click");
    c.getZr().on("click", function (e) {
      var at = [e.offsetX, e.offsetY];
      if (!c.containPixel({ gridIndex: gridIndex }, at)) return;
      var index = Math.round(c.convertFromPixel({ xAxisIndex: gridIndex }, e.offsetX));
      if (index >= 0) handle(index, e);
    });
  }
  function set(id, v) { var el = document.getElementById(id); if (el) el.textContent = v; }
  function failed(id) {
    return function () {
      var el = document.getElementById(id);
      if (el && !charts[id]) { el.classList.add("empty"); el.textContent = L.error; }
    };
  }

  function live() {
    return get("live").then(function (d) {
      set("k-open", d.open); set("k-yellow", d.yellow); set("k-red", d.red); set("k-new", d.new);
      set("k-today", d.today_received); set("k-done", d.today_completed); set("k-month", d.month_received);
      set("k-sat", pct(d.month_satisfaction));
      var at = Date.parse(d.at);
      if (!isNaN(at)) { skew = at - Date.now(); }
      set("updated", districtTime(isNaN(at) ? Date.now() + skew : at).time);
    }).catch(function () { set("updated", L.error); });
  }

  function intake() {
    return get("intake", { days: days }).then(function (d) {
      var c = chart("c-intake"); if (!c) return;
      c.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: [L.received, L.completed], textStyle: text, top: 0 },
        grid: { left: 36, right: 12, top: 28, bottom: 24 },
        xAxis: { type: "category", data: d.days.map(function (p) { return p.day.slice(5); }), axisLabel: text, axisLine: axisLine },
        yAxis: { type: "value", axisLabel: text, splitLine: split, minInterval: 1 },
        series: [
          { name: L.received, type: "line", smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 }, itemStyle: { color: "#38bdf8" }, data: d.days.map(function (p) { return p.received; }) },
          { name: L.completed, type: "line", smooth: true, showSymbol: false, itemStyle: { color: "#34d399" }, data: d.days.map(function (p) { return p.completed; }) }
        ]
      }, true);
      // A day: the requests received that day, or those of them completed when the pointer is nearer that line.
      onCategory(c, 0, function (i, e) {
        var p = d.days[i]; if (!p) return;
        var received = c.convertToPixel({ seriesIndex: 0 }, [i, p.received])[1];
        var completed = c.convertToPixel({ seriesIndex: 1 }, [i, p.completed])[1];
        var measure = Math.abs(e.offsetY - completed) < Math.abs(e.offsetY - received) ? "completed" : "received";
        go(LINKS.drill, { period: "day", date: p.day, unit: LINKS.unit_id, measure: measure });
      });
    }).catch(failed("c-intake"));
  }

  function matters() {
    return get("matters", { days: 30 }).then(function (d) {
      var c = chart("c-matters"); if (!c) return;
      // Requests whose matter nobody has named yet are in no slice: say so rather than draw a grey ring.
      document.getElementById("c-matters-none").hidden = d.matters.length > 0;
      c.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return fill(L.share, { name: esc(p.name), value: esc(p.value), percent: esc(p.percent) + "%" }); } },
        legend: { type: "scroll", orient: "vertical", right: 0, top: "middle", textStyle: { color: text.color, width: 110, overflow: "truncate" } },
        series: [{
          type: "pie", radius: ["38%", "70%"], center: ["36%", "52%"], label: { show: false }, showEmptyCircle: false,
          itemStyle: { borderColor: "#0d1b2e", borderWidth: 2 },
          data: d.matters.map(function (m) { return { name: m.matter, value: m.received, code: m.code }; })
        }]
      }, true);
      c.off("click");
      c.on("click", function (p) {
        if (p.data && p.data.code) go(LINKS.matter, { matter: p.data.code, street: d.street, start: d.from, end: d.to });
      });
    }).catch(failed("c-matters"));
  }

  function rates() {
    var kind = document.getElementById("rank-kind").value;
    return get("rates", { kind: kind }).then(function (d) {
      var c = chart("c-rates"); if (!c) return;
      var rows = d.rows.filter(function (r) { return r.composite !== null; }).slice(0, 20).reverse();
      var byCode = {};
      rows.forEach(function (r) { byCode[r.code] = r; });
      var drillable = kind === "street" || kind === "community";
      // Early in the month no unit has an assessed case yet: say so rather than draw an empty frame.
      document.getElementById("c-rates-none").hidden = rows.length > 0;
      c.setOption({
        animation: false,
        title: { text: d.period, right: 4, top: 0, textStyle: { color: "#7f9bb8", fontSize: 12 } },
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (ps) {
            var r = rows[ps[0].dataIndex];
            return esc(r.name) + "<br>" + kv(esc(L.composite), r.composite.toFixed(1)) + "<br>" + kv(esc(L.response), pct(r.response_rate)) +
              "<br>" + kv(esc(L.on_time), pct(r.on_time_reply_rate)) + "<br>" + kv(esc(L.satisfaction), pct(r.satisfaction_rate)) +
              (r.bottom ? "<br>" + esc(L.bottom) : "");
          }
        },
        grid: { left: 8, right: 40, top: 22, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: text, splitLine: split },
        // The categories are the codes (unique; names need not be), shown by name; a name opens the unit's screen.
        yAxis: {
          type: "category", data: rows.map(function (r) { return r.code; }),
          axisLabel: { color: "#d8e6f5", width: 130, overflow: "truncate", formatter: function (code) { return byCode[code] ? byCode[code].name : code; } },
          axisLine: axisLine
        },
        series: [{
          type: "bar", barMaxWidth: 16, label: { show: true, position: "right", color: "#d8e6f5", formatter: function (p) { return p.value.toFixed(1); } },
          data: rows.map(function (r) { return { value: r.composite, itemStyle: { color: r.bottom ? "#f43f5e" : "#38bdf8" } }; })
        }]
      }, true);
      // A unit's row (its bar, however short): its assessment for the month, every figure of it leading to its
      // cases; its name: the screen of that street or community.
      c.getZr().off("click");
      c.getZr().on("click", function (e) {
        var plot = c.getModel().getComponent("grid").coordinateSystem.getRect();
        if (e.offsetY < plot.y || e.offsetY > plot.y + plot.height || e.offsetX > plot.x + plot.width) return;
        var r = rows[Math.round(c.convertFromPixel({ yAxisIndex: 0 }, e.offsetY))];
        if (!r) return;
        if (e.offsetX >= plot.x) go(LINKS.unit, { period: "month", date: d.from }, r.id);
        else if (drillable) go(window.location.pathname, { unit: r.code });
      });
    }).catch(failed("c-rates"));
  }

  function centreOf(geometry) {
    var ring = geometry.type === "Polygon" ? geometry.coordinates[0] : geometry.coordinates[0][0];
    var x = 0, y = 0;
    ring.forEach(function (p) { x += p[0]; y += p[1]; });
    return [x / ring.length, y / ring.length];
  }

  function grids() {
    return get("grids").then(function (geo) {
      geo.features.forEach(function (f) {
        names[f.properties.code] = f.properties.name;
        centres[f.properties.code] = centreOf(f.geometry);
      });
      window.echarts.registerMap("suban-dashboard", geo);
      mapReady = geo.features.length > 0;
    });
  }

  function gridMap() {
    if (!mapReady) return Promise.resolve();
    return get("map", { days: 30 }).then(function (d) {
      var c = chart("c-map"); if (!c) return;
      var max = 1;
      var byCode = {};
      d.grids.forEach(function (g) { byCode[g.code] = g; if (g.received > max) max = g.received; });
      c.setOption({
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var g = p.data || {};
            return esc(names[p.name] || p.name) + "<br>" + kv(esc(L.requests), esc(g.value || 0)) + "<br>" + kv(esc(L.open), esc(g.open || 0)) +
              "<br>" + kv(esc(L.overdue), esc(g.red || 0));
          }
        },
        visualMap: { seriesIndex: 0, min: 0, max: max, calculable: true, left: 8, bottom: 8, textStyle: text, inRange: { color: ["#0e2a47", "#1e6fa8", "#38bdf8", "#fde68a"] } },
        geo: { map: "suban-dashboard", nameProperty: "code", roam: true, itemStyle: { areaColor: "#0e2a47", borderColor: "#3b82f6", borderWidth: 0.6 }, emphasis: { itemStyle: { areaColor: "#fbbf24" }, label: { show: false } } },
        series: [
          { type: "map", geoIndex: 0, data: Object.keys(names).map(function (code) {
            var g = byCode[code] || { received: 0, open: 0, red: 0 };
            return { name: code, value: g.received, open: g.open, red: g.red };
          }) },
          {
            type: "effectScatter", coordinateSystem: "geo", rippleEffect: { scale: 3 }, itemStyle: { color: "#f43f5e" },
            symbolSize: function (v) { return 6 + Math.min(14, v[2] * 2); },
            tooltip: { formatter: function (p) { return esc(names[p.data.code] || p.data.code) + "<br>" + kv(esc(L.overdue), esc(p.data.value[2])); } },
            data: d.grids.filter(function (g) { return g.red > 0 && centres[g.code]; }).map(function (g) {
              return { code: g.code, value: centres[g.code].concat([g.red]) };
            })
          }
        ]
      });
      // A grid: the requests placed in it over the days of its colour; a red dot: its cases overdue now.
      c.off("click");
      c.on("click", function (p) {
        var code = p.seriesType === "effectScatter" ? p.data && p.data.code : p.seriesType === "map" && p.name;
        if (!code) return;
        var place = names[code] ? names[code] + "（" + code + "）" : code; // as the inbox's unit picker writes it
        if (p.seriesType === "effectScatter") go(LINKS.inbox, { tab: "overdue", place: place });
        else go(LINKS.inbox, { tab: "all", place: place, created_from: d.from, created_to: d.to });
      });
    }).catch(failed("c-map"));
  }

  function hotspots() {
    return get("hotspots").then(function (d) {
      var list = document.getElementById("hotspots");
      list.textContent = "";
      if (!d.hotspots.length) {
        var li = document.createElement("li"); li.className = "none"; li.textContent = L.nothing; list.appendChild(li);
        return;
      }
      d.hotspots.forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a"); a.href = LINKS.hotspot.replace("{id}", encodeURIComponent(h.id)); li.appendChild(a);
        var b = document.createElement("b"); b.textContent = h.title; a.appendChild(b);
        var s = document.createElement("span"); s.textContent = h.place + " · " + h.size; a.appendChild(s);
        var heat = document.createElement("span"); heat.className = "heat"; heat.textContent = "▲ " + h.score; a.appendChild(heat);
        list.appendChild(li);
      });
    }).catch(function () { set("hotspots", L.error); });
  }

  function gridWork() {
    return get("gridwork", { days: 30 }).then(function (d) {
      var c = chart("c-grid"); if (!c) return;
      var low = d.grids.filter(function (g) { return g.activity_rate !== null; }).slice(0, 12);
      c.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: [L.activity, L.patrols], textStyle: text, top: 0 },
        grid: [{ left: 8, width: "46%", top: 28, bottom: 8, containLabel: true }, { right: 12, width: "44%", top: 28, bottom: 24, containLabel: true }],
        xAxis: [
          { gridIndex: 0, type: "category", data: low.map(function (g) { return g.name; }), axisLabel: { color: "#9fb7d0", rotate: 35, fontSize: 10, width: 90, overflow: "truncate" }, axisLine: axisLine },
          { gridIndex: 1, type: "category", data: d.patrols.map(function (p) { return p.day.slice(5); }), axisLabel: text, axisLine: axisLine }
        ],
        yAxis: [
          { gridIndex: 0, type: "value", max: 100, axisLabel: { color: "#9fb7d0", formatter: "{value}%" }, splitLine: split },
          { gridIndex: 1, type: "value", axisLabel: text, splitLine: split, minInterval: 1 }
        ],
        series: [
          { name: L.activity, type: "bar", xAxisIndex: 0, yAxisIndex: 0, barMaxWidth: 18, itemStyle: { color: "#a78bfa" }, data: low.map(function (g) { return +(g.activity_rate * 100).toFixed(1); }) },
          { name: L.patrols, type: "line", xAxisIndex: 1, yAxisIndex: 1, smooth: true, showSymbol: false, itemStyle: { color: "#34d399" }, data: d.patrols.map(function (p) { return p.patrols; }) }
        ]
      }, true);
      // A grid's bar: its workers' patrols, logs and reports; the patrols of the days: every grid's.
      c.getZr().off("click");
      c.getZr().on("click", function (e) {
        var at = [e.offsetX, e.offsetY];
        if (c.containPixel({ gridIndex: 0 }, at)) {
          var g = low[Math.round(c.convertFromPixel({ xAxisIndex: 0 }, e.offsetX))];
          if (g) go(LINKS.activity, { unit: unit, grid: g.code, days: 30 });
        } else if (c.containPixel({ gridIndex: 1 }, at)) {
          go(LINKS.activity, { unit: unit, days: 30 });
        }
      });
    }).catch(failed("c-grid"));
  }

  function beyond() {
    return get("beyond", { days: 30 }).then(function (d) {
      function pct(v) { return v === null ? "—" : (v * 100).toFixed(1) + "%"; }
      var k = d.knowledge, m = d.mediation;
      set("b-answered", k.answered_from_base + " / " + k.consultations);
      set("b-deflection", pct(k.deflection));
      set("b-disputes", String(m.taken_in));
      set("b-success", pct(m.success_rate));
      set("b-fulfilled", pct(m.fulfilment_rate));
      set("b-escalating", String(m.escalating_open));
    }).catch(function () { set("b-disputes", L.error); });
  }

  // One request after the other: gentle on the server, and each panel fills as soon as its answer is in.
  var busy = false;
  function everything() {
    if (busy) return Promise.resolve();
    busy = true;
    return [live, gridMap, intake, rates, matters, hotspots, gridWork, beyond]
      .reduce(function (chain, panel) { return chain.then(panel); }, Promise.resolve())
      .then(function () { busy = false; }, function () { busy = false; });
  }

  function tick() {
    var now = districtTime(Date.now() + skew);
    set("clock", now.date + " " + now.time);
  }

  document.querySelectorAll(".switch button").forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll(".switch button").forEach(function (o) { o.classList.toggle("on", o === b); });
      days = parseInt(b.dataset.days, 10);
      intake();
    });
  });
  document.getElementById("rank-kind").addEventListener("change", rates);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { var el = document.getElementById(k); if (el && el.clientWidth) charts[k].resize(); });
  });

  tick();
  setInterval(tick, 1000);
  grids().catch(failed("c-map")).then(everything).then(function () { root.dataset.loaded = "1"; });
  setInterval(everything, refresh);
})();
