// Collaboration board: drag a card onto a column, or focus a card and press ←/→, to move it.
// Either way the card's own move form is posted (through HTMX), so the server answers the same way
// as for the select: an updated board, or a prompt to confirm skipped steps or give a reason.
(function () {
  "use strict";

  let dragged = null;
  let focusAfterSwap = null;

  function moveTo(card, status) {
    const form = card.querySelector("form[data-move-form]");
    if (!form || !status || form.elements.status.value === status) return;
    form.elements.status.value = status;
    form.requestSubmit();
  }

  function columnOf(card) {
    return card.closest(".board-column");
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card[draggable='true']");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.collaboration);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll(".is-drop-target").forEach(function (el) {
      el.classList.remove("is-drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    const column = dragged && event.target.closest && event.target.closest("[data-board-dnd] .board-column");
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".is-drop-target").forEach(function (el) {
      if (el !== column) el.classList.remove("is-drop-target");
    });
    column.classList.add("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    const column = dragged && event.target.closest && event.target.closest("[data-board-dnd] .board-column");
    if (!column) return;
    event.preventDefault();
    const card = dragged;
    column.classList.remove("is-drop-target");
    if (columnOf(card) !== column) moveTo(card, column.dataset.status);
  });

  document.addEventListener("keydown", function (event) {
    const card = event.target;
    if (!card.classList || !card.classList.contains("board-card") || !card.closest("[data-board-dnd]")) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const columns = Array.from(card.closest("[data-board-dnd]").querySelectorAll(".board-column"));
    const next = columns[columns.indexOf(columnOf(card)) + (event.key === "ArrowRight" ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    moveTo(card, next.dataset.status);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("#board form[data-collaboration]");
    if (form) focusAfterSwap = form.dataset.collaboration;
  });

  // After the board is swapped, keep the keyboard where the person was: on the prompt if the move
  // needs an answer, else on the moved card in its new column.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "board") return;
    const prompt = event.target.querySelector("[data-testid='move-prompt'] input:not([type='hidden']), [data-testid='move-prompt'] button");
    if (prompt) {
      prompt.focus();
    } else if (focusAfterSwap) {
      const card = event.target.querySelector(".board-card[data-collaboration='" + focusAfterSwap + "']");
      if (card) card.focus();
    }
    focusAfterSwap = null;
  });
})();
