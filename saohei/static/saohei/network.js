// Draws the network page's graph with ECharts (served from node_modules, never a CDN) and exports it as PNG.
// The data is the `graph` series option written by the server into a json_script element; the tables of the page
// list the same entities and links, so nothing here is needed to read the network.
(function () {
  "use strict";

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function draw(el) {
    var series = readData(el.getAttribute("data-graph"));
    if (!series || typeof echarts === "undefined") { return null; }
    el.style.height = "520px";
    var chart = echarts.init(el);
    series.label = { show: series.data.length <= 60, position: "right", fontSize: 11 };
    series.emphasis = { focus: "adjacency", label: { show: true } };
    series.lineStyle = { color: "source", opacity: 0.6 };
    if (series.data.length < 150) { series.force = { repulsion: 320, edgeLength: [60, 160], gravity: 0.08 }; }
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") {
            return (p.data.label && p.data.label.formatter ? p.data.label.formatter + "<br>" : "") +
              (p.data.citations || []).join(", ");
          }
          return p.data.name;
        }
      },
      legend: [{ type: "scroll", top: 0, data: series.categories.map(function (c) { return c.name; }) }],
      animationDuration: 500,
      series: [series]
    });
    var base = el.getAttribute("data-node-url") || "";
    chart.on("dblclick", function (p) {
      if (p.dataType === "node" && base.charAt(0) === "/") {
        window.location.href = base + encodeURIComponent(p.data.id);
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function offerPng(button, chart) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      var link = document.createElement("a");
      link.href = url;
      link.download = button.getAttribute("data-filename") || "network.png";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
    });
  }

  function init() {
    var el = document.getElementById("network-chart");
    if (!el) { return; }
    var chart = draw(el);
    var button = document.getElementById("network-png");
    if (chart && button) { offerPng(button, chart); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
