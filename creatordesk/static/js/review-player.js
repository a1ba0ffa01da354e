// Review player: findings and comments on a timeline; clicking any time code seeks the video.
(function () {
  "use strict";

  function format(seconds) {
    const minutes = Math.floor(seconds / 60);
    return minutes + ":" + (seconds - minutes * 60).toFixed(1).padStart(4, "0");
  }

  function init(root) {
    const video = root.querySelector("video");
    const playhead = root.querySelector("[data-playhead]");
    const clock = root.querySelector("[data-current-time]");
    const duration = parseFloat(root.dataset.duration) || 1;
    const startInput = document.querySelector("[data-start-input]");

    function seek(seconds) {
      video.currentTime = seconds;
      video.pause();
      video.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }

    document.addEventListener("click", function (event) {
      const target = event.target.closest("[data-seek]");
      if (target) {
        event.preventDefault();
        seek(parseFloat(target.dataset.seek));
      }
    });

    video.addEventListener("timeupdate", function () {
      const t = video.currentTime;
      if (playhead) playhead.style.left = Math.min((t / duration) * 100, 100) + "%";
      if (clock) clock.textContent = format(t);
      // A new comment starts where the reviewer paused, unless they typed a time themselves.
      if (startInput && !startInput.dataset.touched) startInput.value = t.toFixed(1);
    });
    if (startInput) {
      startInput.addEventListener("input", function () { startInput.dataset.touched = "1"; });
    }
  }

  document.querySelectorAll("[data-review-player]").forEach(init);
})();
