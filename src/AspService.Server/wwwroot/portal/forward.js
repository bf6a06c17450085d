// The mailed links are {tenant}/invitation?token=… and {tenant}/password-reset?token=…. The portal is one page
// routed by the URL hash, so forward there; the token moves into the hash, which browsers never send to a server.
const route = document.documentElement.dataset.route;
const token = new URLSearchParams(location.search).get('token') || '';
location.replace(`../#/${route}?token=${encodeURIComponent(token)}`);
