// Charts of the performance page, drawn from one json_script payload: GMV, orders and views over
// time (by campaign or by creator, switched with the radio buttons) and the creator pipeline funnel.
(function () {
  "use strict";

  var lineCharts = [];
  // Axis and tooltip numbers grouped the way the page's language writes them ("12.345" in German).
  var locale = document.documentElement.lang || undefined;

  function lineChart(canvas, data, metric, group) {
    var datasets = data[group].map(function (entry) {
      return { label: entry.name, data: entry[metric], tension: 0.2, pointRadius: 0 };
    });
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false, // the height comes from the chart's box in the stylesheet
        locale: locale,
        interaction: { mode: "index", intersect: false },
        plugins: { title: { display: true, text: data.labels_i18n[metric] } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  function drawLines(data, group) {
    lineCharts.forEach(function (chart) {
      chart.destroy();
    });
    lineCharts = [];
    document.querySelectorAll("canvas[data-chart-metric]").forEach(function (canvas) {
      lineCharts.push(lineChart(canvas, data, canvas.dataset.chartMetric, group));
    });
  }

  function drawFunnel(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.funnel.labels,
        datasets: [{ label: data.labels_i18n.funnel, data: data.funnel.counts }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        locale: locale,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function init() {
    var source = document.getElementById("performance-chart-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var funnel = document.querySelector("canvas[data-chart-funnel]");
    if (funnel) drawFunnel(funnel, data);
    if (!data.labels.length) return;
    drawLines(data, "campaigns");
    document.querySelectorAll("input[name=chart-group]").forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.checked) drawLines(data, input.value);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
