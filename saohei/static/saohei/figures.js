// Draws the figures page's charts with ECharts (served from node_modules, never a CDN).
// Each chart reads its data from a json_script element; clicking a point opens the rows it counts.
(function () {
  "use strict";

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function draw(el) {
    var data = readData(el.getAttribute("data-chart"));
    if (!data || typeof echarts === "undefined") { return; }
    var kind = el.getAttribute("data-kind") || "bar";
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 12 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      dataZoom: data.labels.length > 26 ? [{ type: "slider", bottom: 0 }] : [],
      series: data.series.map(function (s) {
        return { name: s.name, type: kind, data: s.data, emphasis: { focus: "series" } };
      })
    });
    chart.on("click", function (params) {
      var s = data.series[params.seriesIndex];
      var url = s && s.urls ? s.urls[params.dataIndex] : "";
      if (url && url.charAt(0) === "/") { window.location.href = url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
