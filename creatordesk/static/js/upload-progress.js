// Resumable upload with a progress bar for forms marked data-upload-progress and data-upload-start.
// A phone video over a mobile connection takes minutes and the connection may drop on the way; sent as
// one post it would start again from zero. Here the form's other fields open an upload (the
// data-upload-start address), the file follows in chunks, and after a dropped connection the script
// waits a little longer each time, asks the server how many bytes it holds and goes on from there
// (protocol in creatordesk/reviews/chunked_uploads.py). The answer to the last chunk names the page to
// open. Without JavaScript the form posts the whole file as usual. The texts travel as attributes of
// the progress box, so the script needs no translation catalogue.
(function () {
  "use strict";

  const lang = document.documentElement.lang || undefined;
  const percent = new Intl.NumberFormat(lang, { style: "percent" });
  const megabytes = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const MB = 1024 * 1024;
  // Waits before each new attempt after a dropped connection; after the last one the creator decides.
  const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
  // Uploads that gave up, by form, so pressing Upload again with the same file goes on where it was.
  const unfinished = new WeakMap();

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function keepPageOpen(event) {
    event.preventDefault();
    event.returnValue = "";
  }

  function sleep(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  // One request; resolves with {status, body} for every HTTP answer and rejects when no answer came.
  function send(job, method, url, options) {
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      job.xhr = xhr;
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", job.csrf);
      xhr.setRequestHeader("Accept", "application/json");
      Object.entries(options.headers || {}).forEach(function (pair) { xhr.setRequestHeader(pair[0], pair[1]); });
      if (options.onProgress) {
        xhr.upload.addEventListener("progress", function (event) { options.onProgress(event.loaded); });
      }
      xhr.addEventListener("load", function () {
        let body = {};
        try { body = JSON.parse(xhr.responseText || "{}"); } catch (error) { body = {}; }
        resolve({ status: xhr.status, body: body });
      });
      ["error", "timeout", "abort"].forEach(function (name) {
        xhr.addEventListener(name, function () { reject(new Error(name)); });
      });
      xhr.send(options.body === undefined ? null : options.body);
    });
  }

  function ui(form) {
    const box = form.querySelector("[data-upload-progress-bar]");
    const progress = box.querySelector("progress");
    const text = box.querySelector("[data-upload-progress-text]");
    const cancel = box.querySelector("[data-upload-cancel]");
    const submit = form.querySelectorAll("button[type=submit]");
    return {
      box: box,
      cancel: cancel,
      state: function (state) {
        form.dataset.uploadState = state;
        const busy = state === "sending" || state === "resuming" || state === "processing";
        submit.forEach(function (button) { button.disabled = busy; });
        if (cancel) cancel.hidden = !(state === "sending" || state === "resuming");
        box.classList.toggle("upload-failed", state === "failed");
        if (busy) window.addEventListener("beforeunload", keepPageOpen);
        else window.removeEventListener("beforeunload", keepPageOpen);
      },
      sent: function (bytes, total) {
        const share = total ? Math.min(bytes / total, 1) : 1;
        progress.value = Math.round(share * 100);
        progress.textContent = percent.format(share);
        text.textContent = fill(text.dataset.uploading, {
          percent: percent.format(share),
          sent: megabytes.format(bytes / MB),
          total: megabytes.format(total / MB),
        });
      },
      say: function (key) { text.textContent = text.dataset[key]; },
      fail: function (message) {
        text.textContent = message || text.dataset.failed;
        this.state("failed");
      },
    };
  }

  async function start(job) {
    const fields = new FormData(job.form);
    fields.delete(job.input.name);
    fields.set("name", job.file.name);
    fields.set("size", String(job.file.size));
    fields.set("type", job.file.type || "");
    const answer = await send(job, "POST", job.form.dataset.uploadStart, { body: fields });
    if (answer.status !== 201) throw { refused: answer.body.error };
    job.url = answer.body.url;
    job.chunk = answer.body.chunk_size || 4 * MB;
    job.offset = 0;
  }

  async function resumeOffset(job) {
    const answer = await send(job, "GET", job.url, {});
    if (answer.status !== 200) throw { refused: answer.body.error };
    return answer.body;
  }

  async function run(job) {
    const view = job.view;
    let failures = 0;
    for (;;) {
      if (job.cancelled) return;
      try {
        if (!job.url) await start(job);
        if (failures > 0) {
          const status = await resumeOffset(job);
          if (status.done && status.location) return window.location.assign(status.location);
          job.offset = status.offset;
        }
        const end = Math.min(job.offset + job.chunk, job.file.size);
        const from = job.offset;
        view.sent(from, job.file.size);
        const answer = await send(job, "PATCH", job.url, {
          body: job.file.slice(from, end),
          headers: { "Upload-Offset": String(from), "Content-Type": "application/offset+octet-stream" },
          onProgress: function (loaded) {
            view.sent(from + loaded, job.file.size);
            if (from + loaded >= job.file.size) { view.say("processing"); view.state("processing"); }
          },
        });
        if (answer.status === 200) {
          failures = 0;
          view.state("sending");
          if (answer.body.done) {
            view.sent(job.file.size, job.file.size);
            unfinished.delete(job.form);
            view.state("done");
            view.say("processing");
            window.location.assign(answer.body.location);
            return;
          }
          job.offset = answer.body.offset;
          continue;
        }
        if (answer.status === 409 && typeof answer.body.offset === "number") {
          job.offset = answer.body.offset;
          await sleep(RETRY_DELAYS_MS[0]);
          continue;
        }
        if (answer.status >= 500 && answer.status !== 507) throw new Error("server");
        throw { refused: answer.body.error };
      } catch (error) {
        if (job.cancelled) return;
        if (error && "refused" in error) {
          unfinished.delete(job.form);
          view.fail(error.refused);
          return;
        }
        if (!job.url || failures >= RETRY_DELAYS_MS.length) {
          if (job.url) unfinished.set(job.form, job);
          view.fail();
          return;
        }
        view.state("resuming");
        view.say("retrying");
        await sleep(RETRY_DELAYS_MS[failures]);
        failures += 1;
      }
    }
  }

  function cancel(job) {
    job.cancelled = true;
    if (job.xhr) job.xhr.abort();
    unfinished.delete(job.form);
    if (job.url) {
      const xhr = new XMLHttpRequest();
      xhr.open("DELETE", job.url);
      xhr.setRequestHeader("X-CSRFToken", job.csrf);
      xhr.send();
    }
    job.view.state("cancelled");
    job.view.box.hidden = true;
  }

  function begin(form) {
    const input = form.querySelector("input[type=file]");
    const file = input.files[0];
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const view = ui(form);
    const earlier = unfinished.get(form);
    const same = earlier && earlier.file.name === file.name && earlier.file.size === file.size &&
      earlier.file.lastModified === file.lastModified;
    const job = same ? earlier : { form: form, input: input, file: file, csrf: csrf, url: "", offset: 0, chunk: 4 * MB };
    job.view = view;
    job.cancelled = false;
    if (view.cancel) view.cancel.onclick = function () { cancel(job); };
    view.box.hidden = false;
    view.sent(job.offset, file.size);
    view.state("sending");
    run(job);
  }

  const supported = "FormData" in window && "upload" in new XMLHttpRequest() && "slice" in Blob.prototype;

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-upload-progress][data-upload-start]");
    if (!supported || !form || !form.querySelector("[data-upload-progress-bar]")) return;
    const input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length) return; // the server says what is missing
    event.preventDefault();
    const state = form.dataset.uploadState;
    if (state === "sending" || state === "resuming" || state === "processing" || state === "done") return;
    begin(form);
  });
})();
