/* Pairing a phone: the link a coordinator made (/app/sparuj#dev_…) carries the device
   credential in its #fragment, which the browser never sends to a server. The page keeps
   it in localStorage, takes it out of the address bar and history, trades it for a
   token and opens the worker's day. A code pasted into the form does the same. */
"use strict";
(async () => {
  const error = document.getElementById("pair-error");
  async function pair(secret) {
    error.textContent = "";
    try {
      const answer = await Trasa.deviceLogIn(secret.trim());
      if (!answer) { error.textContent = t("This pairing code is not valid (revoked or mistyped); ask the coordinator for a new one."); return; }
      const lang = answer.language && answer.language !== "pl" ? "?lang=" + answer.language : "";
      window.location.replace(Trasa.HOME[answer.role] + lang);
    } catch (e) {
      error.textContent = t("Pairing failed: {error}", {error: e.message});
    }
  }
  const fromLink = decodeURIComponent(window.location.hash.slice(1));
  history.replaceState(null, "", window.location.pathname);  // the secret leaves the address bar
  document.getElementById("pair-form").addEventListener("submit", (event) => {
    event.preventDefault();
    pair(document.getElementById("pair-code").value);
  });
  if (fromLink) await pair(fromLink);
})();
