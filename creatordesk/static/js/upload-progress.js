// Upload progress for forms marked data-upload-progress. A video from a phone can take minutes to send,
// and a plain form post shows nothing until it is done, so the page looks frozen. The form is sent with
// XMLHttpRequest instead, whose upload events drive the form's <progress> bar; the server's answer
// (after its redirect) then becomes the page, as with the plain post. Without JavaScript, or in a
// browser without upload events, the form posts as usual. The CSRF token travels in the form data.
(function () {
  "use strict";

  const lang = document.documentElement.lang || undefined;
  const percent = new Intl.NumberFormat(lang, { style: "percent" });
  const megabytes = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const MB = 1024 * 1024;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function keepPageOpen(event) {
    event.preventDefault();
    event.returnValue = "";
  }

  function showAnswer(xhr, action) {
    // The answer is the page the plain post would have ended on. Loading that address again would be a
    // second request, and the messages it showed ("Thank you!", or why a file was refused) would be
    // gone; so the answer itself replaces this document, under the address it came from.
    const url = xhr.responseURL || action;
    if (url !== window.location.href) window.history.pushState({ uploadAnswer: true }, "", url);
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function send(form) {
    const bar = form.querySelector("[data-upload-progress-bar]");
    const progress = bar.querySelector("progress");
    const text = bar.querySelector("[data-upload-progress-text]");
    const buttons = form.querySelectorAll("button");
    const xhr = new XMLHttpRequest();

    function setState(state) {
      form.dataset.uploadState = state;
      buttons.forEach(function (button) { button.disabled = state !== "failed"; });
    }

    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || !event.total) return;
      const share = event.loaded / event.total;
      progress.value = Math.round(share * 100);
      progress.textContent = percent.format(share);
      text.textContent = fill(text.dataset.uploading, {
        percent: percent.format(share),
        sent: megabytes.format(event.loaded / MB),
        total: megabytes.format(event.total / MB),
      });
    });
    xhr.upload.addEventListener("load", function () {
      // Every byte is on the server; storing and probing the video still takes a moment.
      progress.value = 100;
      progress.textContent = percent.format(1);
      text.textContent = text.dataset.processing;
      setState("processing");
    });
    xhr.addEventListener("load", function () {
      window.removeEventListener("beforeunload", keepPageOpen);
      showAnswer(xhr, form.action);
    });
    function failed() {
      window.removeEventListener("beforeunload", keepPageOpen);
      text.textContent = text.dataset.failed;
      setState("failed");
    }
    xhr.addEventListener("error", failed);
    xhr.addEventListener("timeout", failed);
    xhr.addEventListener("abort", failed);

    xhr.open("POST", form.action);
    bar.hidden = false;
    progress.value = 0;
    setState("sending");
    window.addEventListener("beforeunload", keepPageOpen);
    xhr.send(new FormData(form));
  }

  const supported = "FormData" in window && "upload" in new XMLHttpRequest();
  // Smaller files keep the plain post: they are sent within a second or two even on a slow mobile
  // connection, so a bar would hardly show, and the browser's own navigation is the sturdier path.
  const SMALL_BYTES = 256 * 1024;

  function uploadBytes(form) {
    let bytes = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { bytes += file.size; });
    });
    return bytes;
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-upload-progress]");
    if (!supported || !form || !form.querySelector("[data-upload-progress-bar]")) return;
    if (uploadBytes(form) < SMALL_BYTES) return;
    event.preventDefault();
    const state = form.dataset.uploadState;
    if (state === "sending" || state === "processing") return;
    send(form);
  });

  // Back from an answer shown in place: the address changes but the document would not, so reload it.
  if (window.history.state && window.history.state.uploadAnswer) {
    window.addEventListener("popstate", function () { window.location.reload(); });
  }
})();
