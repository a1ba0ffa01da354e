// Line charts of GMV, orders and views per campaign, drawn from a json_script payload.
(function () {
  "use strict";

  function draw(canvas, data, metric) {
    var datasets = data.campaigns.map(function (campaign) {
      return { label: campaign.name, data: campaign[metric], tension: 0.2, pointRadius: 0 };
    });
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        interaction: { mode: "index", intersect: false },
        plugins: { title: { display: true, text: data.labels_i18n[metric] } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  function init() {
    var source = document.getElementById("performance-chart-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) return;
    document.querySelectorAll("canvas[data-chart-metric]").forEach(function (canvas) {
      draw(canvas, data, canvas.dataset.chartMetric);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
