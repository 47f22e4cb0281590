"use strict";
(async () => {
  if (!Trasa.token() && Trasa.device()) {  // a paired phone: its own log-in
    try { await Trasa.deviceLogIn(); } catch (e) { /* offline: the form stays */ }
  }
  if (Trasa.token()) {  // already logged in: straight to the role's page
    try {
      const me = await Trasa.json("/auth/me");
      window.location.assign(Trasa.HOME[me.role]);
      return;
    } catch (e) { sessionStorage.clear(); }
  }
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  document.getElementById("username").focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const role = await Trasa.logIn(form.username.value, form.password.value);
      window.location.assign(Trasa.HOME[role]);
    } catch (e) {
      error.textContent = e.message;
      form.password.select();
    }
  });
})();
