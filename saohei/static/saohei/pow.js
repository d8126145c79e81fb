// Saohei portal: the browser side of the offline check (saohei/portal/abuse/challenge.py).
// Finds a nonce such that SHA-256(prefix + nonce) starts with `bits` zero bits and puts it in the
// answer field, so the reporter need not answer the question. No third-party code, no network:
// SHA-256 is written out below (crypto.subtle exists only on HTTPS pages and is asynchronous).
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  // SHA-256 of an ASCII string; returns the eight 32-bit words of the digest.
  function sha256(text) {
    var n = text.length, i, j, t;
    var blocks = ((n + 8) >> 6) + 1;
    var m = new Array(blocks * 16);
    for (i = 0; i < m.length; i++) { m[i] = 0; }
    for (i = 0; i < n; i++) { m[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8); }
    m[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    m[m.length - 1] = n * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (j = 0; j < m.length; j += 16) {
      for (i = 0; i < 16; i++) { W[i] = m[j + i] | 0; }
      for (i = 16; i < 64; i++) {
        var a = W[i - 15], b = W[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var ch = (E & F) ^ (~E & G);
        var t1 = (H + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var maj = (A & B) ^ (A & C) ^ (B & C);
        t = (S0 + maj) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t) | 0;
      }
      h0 = (h0 + A) | 0; h1 = (h1 + B) | 0; h2 = (h2 + C) | 0; h3 = (h3 + D) | 0;
      h4 = (h4 + E) | 0; h5 = (h5 + F) | 0; h6 = (h6 + G) | 0; h7 = (h7 + H) | 0;
    }
    return [h0, h1, h2, h3, h4, h5, h6, h7];
  }

  function leadingZeroBits(words) {
    var count = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i] >>> 0;
      if (w === 0) { count += 32; continue; }
      return count + Math.clz32(w);
    }
    return count;
  }

  function hex(words) {
    return words.map(function (w) { return ("00000000" + (w >>> 0).toString(16)).slice(-8); }).join("");
  }

  // Search nonces start, start+1, … for `count` steps; the nonce found as a string, or null.
  function search(prefix, bits, start, count) {
    for (var nonce = start; nonce < start + count; nonce++) {
      if (leadingZeroBits(sha256(prefix + nonce)) >= bits) { return String(nonce); }
    }
    return null;
  }

  function solve(box) {
    var prefix = box.getAttribute("data-pow-prefix") || "";
    var bits = parseInt(box.getAttribute("data-pow-bits"), 10) || 0;
    var answer = box.querySelector("[data-pow-answer]");
    var question = box.querySelector("[data-pow-question]");
    var status = box.querySelector("[data-pow-status]");
    var form = box.closest ? box.closest("form") : null;
    if (!answer || !prefix) { return; }
    var found = null, sendWhenDone = false, next = 0, started = Date.now();
    if (question) { question.hidden = true; }
    answer.required = false; // a hidden required field would block sending before our handler runs
    if (status) { status.hidden = false; status.textContent = box.getAttribute("data-msg-working") || ""; }

    function giveUp() { // very slow device: let the reporter answer the question instead
      if (question) { question.hidden = false; }
      answer.required = true;
      if (status) { status.hidden = true; }
    }
    function done(nonce) {
      found = nonce;
      answer.value = nonce;
      if (status) { status.textContent = box.getAttribute("data-msg-done") || ""; }
      if (sendWhenDone && form) {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    }
    function step() {
      if (found !== null) { return; }
      var nonce = search(prefix, bits, next, 5000);
      next += 5000;
      if (nonce !== null) { done(nonce); return; }
      if (Date.now() - started > 90000) { giveUp(); return; }
      setTimeout(step, 0);
    }
    if (form) {
      form.addEventListener("submit", function (evt) {
        if (found === null && question && question.hidden) { evt.preventDefault(); sendWhenDone = true; }
      });
    }
    setTimeout(step, 0);
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { sha256: sha256, hex: hex, leadingZeroBits: leadingZeroBits, search: search };
    return;
  }
  var boxes = document.querySelectorAll("[data-pow-prefix]");
  for (var i = 0; i < boxes.length; i++) { solve(boxes[i]); }
})();
