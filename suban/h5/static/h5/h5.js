/* Small enhancements of the H5's forms; every page works without them. */
(function () {
  "use strict";

  function format(template, value) {
    return String(template || "").replace("%s", value);
  }

  // A polling element (the timeline) asks again only while the page is in view. htmx's trigger filters would
  // say this in the attribute, but they are evaluated as code, which the Content-Security-Policy forbids.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute("data-poll-visible") && document.visibilityState !== "visible") {
      event.preventDefault();
    }
  });

  // The language menu switches as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A form being sent cannot be sent again by a second tap; its button says it is busy.
  function resetBusy() {
    document.querySelectorAll("form[data-busy-label]").forEach(function (form) {
      delete form.dataset.sending;
      var button = form.querySelector("button[type=submit]");
      if (button && button.dataset.idleLabel) {
        button.textContent = button.dataset.idleLabel;
        button.removeAttribute("aria-busy");
      }
    });
  }
  document.querySelectorAll("form[data-busy-label]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      var blocked = form.querySelector(".js-file-error:not([hidden])");
      if (blocked) { event.preventDefault(); blocked.scrollIntoView({ block: "center" }); return; }
      form.dataset.sending = "1";
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.dataset.idleLabel = button.textContent;
        button.textContent = form.dataset.busyLabel;
        button.setAttribute("aria-busy", "true");
      }
    });
  });
  window.addEventListener("pageshow", resetBusy); // back from the next page: the form is usable again

  // Files: count and size checked as they are chosen, photos previewed. The server checks again, by content.
  var MB = 1024 * 1024;
  var messages = document.documentElement.dataset;
  document.querySelectorAll("input[type=file][data-max-mb]").forEach(function (input) {
    var field = input.closest(".field");
    var error = field && field.querySelector(".js-file-error");
    var previews = field && field.querySelector(".previews");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      var maxFiles = parseInt(input.dataset.maxFiles || "1", 10);
      var problem = "";
      if (files.length > maxFiles) {
        problem = format(input.dataset.tooMany || messages.tooMany, maxFiles);
      }
      files.forEach(function (file) {
        var limit = parseFloat(input.dataset.maxMb);
        if (file.type.indexOf("audio/") === 0) { limit = 10; }
        if (!problem && file.size > limit * MB) {
          problem = format(format(input.dataset.tooBig || messages.tooBig, file.name), limit);
        }
      });
      if (error) {
        error.textContent = problem;
        error.hidden = !problem;
      }
      input.setAttribute("aria-invalid", problem ? "true" : "false");
      if (previews) {
        previews.textContent = "";
        files.slice(0, maxFiles).forEach(function (file) {
          if (file.type.indexOf("image/") !== 0 || !window.URL) { return; }
          var img = document.createElement("img");
          img.alt = file.name;
          img.src = URL.createObjectURL(file);
          img.onload = function () { URL.revokeObjectURL(img.src); };
          previews.appendChild(img);
        });
      }
    });
  });

  // After "get code" the button waits before it may send again.
  function countdown(button, seconds) {
    var idle = button.dataset.idleText || button.textContent;
    button.dataset.idleText = idle;
    button.disabled = true;
    var left = seconds;
    button.textContent = format(button.dataset.waitLabel, left);
    var timer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = idle;
        return;
      }
      button.textContent = format(button.dataset.waitLabel, left);
    }, 1000);
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "code-status") { return; }
    var sent = target.querySelector("[data-sent]");
    var button = document.getElementById("send-code");
    if (sent && button) {
      countdown(button, parseInt(sent.dataset.sent, 10) || 60);
      var code = document.getElementById("id_code");
      if (code) { code.focus(); }
    }
  });
  var sentOnLoad = document.querySelector("#code-status [data-sent]");
  var sendButton = document.getElementById("send-code");
  if (sentOnLoad && sendButton) { countdown(sendButton, parseInt(sentOnLoad.dataset.sent, 10) || 60); }
})();
