// Charts of the staff statistics dashboard (/admin/stats). The data comes
// from the JSON data island #stats-data; each chart container names its
// series by position (data-chart). Every chart also has a data table on
// the page, so nothing is lost without JavaScript or for screen readers.
(function () {
  "use strict";
  function init() {
    var island = document.getElementById("stats-data");
    if (!island || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(island.textContent);
    var series = [data.items_month, data.items_column, data.outcomes, data.messages_month];
    var nodes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var s = series[Number(nodes[i].getAttribute("data-chart"))];
      var sum = 0;
      for (var j = 0; s && s.values && j < s.values.length; j++) {
        sum += s.values[j];
      }
      if (!s || !s.labels || s.labels.length === 0 || sum === 0) {
        // Nothing to draw: the data table below says so.
        nodes[i].hidden = true;
        continue;
      }
      var chart = echarts.init(nodes[i], null, { renderer: "svg" });
      var option;
      if (s === data.outcomes) {
        option = {
          tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: ["35%", "65%"], data: s.labels.map(function (l, j) { return { name: l, value: s.values[j] }; }) }]
        };
      } else {
        option = {
          tooltip: { trigger: "axis" },
          grid: { left: 48, right: 16, top: 16, bottom: 64 },
          xAxis: { type: "category", data: s.labels, axisLabel: { interval: 0, rotate: s.labels.length > 8 ? 30 : 0 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", name: s.name, data: s.values }]
        };
      }
      chart.setOption(option);
      window.addEventListener("resize", chart.resize);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
