// StoryMagic playground: pick ideas, stream a story from the API, keep a list of one's stories.
// Plain JavaScript, no build step. All text from the server is inserted as text, never as HTML.

const MAX_CHARACTERS = 4;

const config = readConfig();
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

const el = {
  form: byId("story-form"),
  theme: byId("theme"),
  themeHint: byId("theme-hint"),
  ageOptions: byId("age-options"),
  lengthOptions: byId("length-options"),
  characterList: byId("character-list"),
  characterTemplate: byId("character-template"),
  addCharacter: byId("add-character"),
  setting: byId("setting"),
  moral: byId("moral"),
  generate: byId("generate"),
  notice: byId("notice"),
  story: byId("story"),
  storyTitle: byId("story-title"),
  storyBody: byId("story-body"),
  storyMeta: byId("story-meta"),
  readAloud: byId("read-aloud"),
  libraryList: byId("library-list"),
  libraryEmpty: byId("library-empty"),
  libraryMore: byId("library-more"),
  identity: byId("identity"),
  status: byId("status"),
};

const state = {
  themes: new Map(),
  generating: false,
  currentStoryId: null,
  nextCursor: null,
  auth: null, // {getToken(): Promise<string|null>} in Firebase mode
  signedIn: config.identity === "development",
  reading: false, // reading the story aloud with the browser's voice
  sceneCount: 0, // scene pictures announced for the story on screen
};

// ------------------------------------------------------------------ start

init();

async function init() {
  addCharacterRow();
  el.addCharacter.addEventListener("click", () => {
    const row = addCharacterRow();
    row.querySelector(".character-name").focus();
  });
  el.theme.addEventListener("change", showThemeHint);
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    generate();
  });
  el.libraryMore.addEventListener("click", () => loadLibrary(true));
  el.readAloud.addEventListener("click", toggleReading);
  await setUpIdentity();
  await loadThemes();
  if (state.signedIn) {
    await loadLibrary(false);
  }
}

function readConfig() {
  try {
    return JSON.parse(byId("storymagic-config").textContent);
  } catch (e) {
    return { identity: "development" };
  }
}

// ------------------------------------------------------------------ identity

async function setUpIdentity() {
  el.identity.replaceChildren();
  if (config.identity === "development") {
    const badge = make("span", "badge dev", "Development identity: " + (config.developmentUser || "local developer"));
    badge.title = "This server has no sign-in configured, so everyone using it shares one local identity. "
      + "Do not use it for real children's data.";
    el.identity.append(badge);
    return;
  }
  if (!config.firebase) {
    el.identity.append(make("span", "badge", "Sign-in is not set up for this page"));
    showNotice("Sign-in needed", "This server only accepts signed-in users, but this page has no Firebase web "
      + "settings. Ask the operator to set FIREBASE_WEB_API_KEY.");
    el.generate.disabled = true;
    return;
  }
  el.generate.disabled = true; // until Firebase says who is signed in
  try {
    const base = config.firebaseSdk;
    const appSdk = await import(base + "/firebase-app.js");
    const authSdk = await import(base + "/firebase-auth.js");
    const app = appSdk.initializeApp(config.firebase);
    const auth = authSdk.getAuth(app);
    state.auth = {
      getToken: async () => (auth.currentUser ? auth.currentUser.getIdToken() : null),
    };
    authSdk.onAuthStateChanged(auth, (user) => {
      state.signedIn = Boolean(user);
      renderFirebaseIdentity(user, auth, authSdk);
      el.generate.disabled = !user;
      if (user) {
        loadLibrary(false);
      } else {
        el.libraryList.replaceChildren();
        el.libraryEmpty.textContent = "Sign in to see your stories.";
        el.libraryEmpty.hidden = false;
        el.libraryMore.hidden = true;
      }
    });
  } catch (e) {
    showNotice("Sign-in is unavailable", "The sign-in service could not be loaded. Check your connection and reload the page.");
    el.generate.disabled = true;
  }
}

function renderFirebaseIdentity(user, auth, authSdk) {
  el.identity.replaceChildren();
  if (user) {
    el.identity.append(make("span", "badge", "Signed in as " + (user.displayName || user.email || "you")));
    const out = make("button", "button link", "Sign out");
    out.type = "button";
    out.addEventListener("click", () => authSdk.signOut(auth));
    el.identity.append(out);
  } else {
    const signIn = make("button", "button secondary", "Sign in with Google");
    signIn.type = "button";
    signIn.addEventListener("click", async () => {
      try {
        await authSdk.signInWithPopup(auth, new authSdk.GoogleAuthProvider());
        hideNotice();
      } catch (e) {
        if (e && e.code !== "auth/popup-closed-by-user" && e.code !== "auth/cancelled-popup-request") {
          showNotice("Sign-in did not work", "Please try again. If a pop-up blocker is on, allow pop-ups for this page.");
        }
      }
    });
    el.identity.append(signIn);
  }
}

async function authHeaders() {
  const headers = {};
  if (state.auth) {
    const token = await state.auth.getToken();
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
  }
  return headers;
}

// ------------------------------------------------------------------ form

async function loadThemes() {
  let catalog;
  try {
    const response = await fetch("/api/themes", { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw await ApiProblem.from(response);
    }
    catalog = await response.json();
  } catch (e) {
    el.theme.replaceChildren(new Option("Themes could not be loaded", ""));
    showProblem(e);
    el.generate.disabled = true;
    return;
  }
  el.theme.replaceChildren();
  for (const theme of catalog.themes) {
    state.themes.set(theme.id, theme);
    el.theme.append(new Option(theme.name, theme.id));
  }
  showThemeHint();
  renderChoices(el.ageOptions, "ageGroup", catalog.ageGroups, "6-8", (age) => "Ages " + age.replace("-", "–"));
  renderChoices(el.lengthOptions, "length", catalog.lengths, "short", (length) => capitalise(length));
}

function showThemeHint() {
  const theme = state.themes.get(el.theme.value);
  el.themeHint.textContent = theme ? theme.description : "";
}

function renderChoices(container, name, values, preferred, label) {
  container.replaceChildren();
  const selected = values.includes(preferred) ? preferred : values[0];
  for (const value of values) {
    const wrapper = make("label", "choice");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = value;
    input.id = name + "-" + value;
    input.checked = value === selected;
    wrapper.append(input, make("span", "", label(value)));
    container.append(wrapper);
  }
}

function addCharacterRow() {
  const row = el.characterTemplate.content.firstElementChild.cloneNode(true);
  row.querySelector(".remove-character").addEventListener("click", () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (el.characterList.children.length === 0) {
      addCharacterRow();
    }
    renumberCharacters();
    (next ? next.querySelector(".character-name") : el.addCharacter).focus();
  });
  el.characterList.append(row);
  renumberCharacters();
  return row;
}

function renumberCharacters() {
  const rows = [...el.characterList.children];
  rows.forEach((row, i) => {
    const n = i + 1;
    row.querySelector(".character-legend").textContent = "Character " + n;
    const name = row.querySelector(".character-name");
    const description = row.querySelector(".character-description");
    name.id = "character-" + n + "-name";
    description.id = "character-" + n + "-description";
    row.querySelector(".name-label").htmlFor = name.id;
    row.querySelector(".description-label").htmlFor = description.id;
    const remove = row.querySelector(".remove-character");
    remove.setAttribute("aria-label", "Remove character " + n);
    remove.hidden = rows.length === 1;
  });
  el.addCharacter.disabled = rows.length >= MAX_CHARACTERS;
  el.addCharacter.textContent = rows.length >= MAX_CHARACTERS ? "Four characters is the most" : "Add a character";
}

function readRequest() {
  const request = {
    theme: el.theme.value,
    ageGroup: checkedValue("ageGroup"),
    length: checkedValue("length"),
    characters: [],
    illustrate: true, // pictures follow the text as events; they never hold it up
  };
  for (const row of el.characterList.children) {
    const name = row.querySelector(".character-name").value.trim();
    const description = row.querySelector(".character-description").value.trim();
    if (name) {
      request.characters.push({ name, description });
    }
  }
  const setting = el.setting.value.trim();
  const moral = el.moral.value.trim();
  if (setting) {
    request.setting = setting;
  }
  if (moral) {
    request.moral = moral;
  }
  return request;
}

function checkedValue(name) {
  const input = el.form.querySelector('input[name="' + name + '"]:checked');
  return input ? input.value : undefined;
}

// ------------------------------------------------------------------ generating

async function generate() {
  if (state.generating) {
    return;
  }
  hideNotice();
  const missing = [...el.characterList.children].find((row) =>
    !row.querySelector(".character-name").value.trim() && row.querySelector(".character-description").value.trim());
  if (missing) {
    showNotice("A character needs a name", "Give every character you describe a name, or clear the description.");
    missing.querySelector(".character-name").focus();
    return;
  }
  const request = readRequest();
  setGenerating(true);
  startStory();
  try {
    const response = await fetch("/api/stories", {
      method: "POST",
      headers: Object.assign({
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        "Idempotency-Key": randomKey(),
      }, await authHeaders()),
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      throw await ApiProblem.from(response);
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/event-stream")) {
      await readEvents(response.body, onStoryEvent);
      if (el.story.dataset.state === "streaming") {
        throw new ApiProblem(0, "stream_ended", "The story stopped before it was finished.");
      }
    } else {
      finishStory(await response.json());
    }
  } catch (e) {
    failStory(e);
  } finally {
    setGenerating(false);
  }
}

function onStoryEvent(event, data) {
  if (event === "text") {
    appendText(JSON.parse(data).text);
  } else if (event === "story") {
    finishStory(JSON.parse(data));
  } else if (event === "asset") {
    addAsset(JSON.parse(data));
  } else if (event === "assets") {
    el.story.dataset.pictures = "ready";
    announce("The pictures are ready.");
  } else if (event === "asset-error") {
    // The story stands without its pictures.
    el.story.dataset.pictures = "failed";
  } else if (event === "error") {
    const body = JSON.parse(data);
    throw ApiProblem.fromBody(0, body, null);
  }
}

/**
 * Reads a server-sent event stream incrementally and calls onEvent(name, data) for each event.
 * Comment lines (keep-alives) are ignored; multi-line data is joined with newlines.
 */
async function readEvents(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let boundary;
    while ((boundary = /\r\n\r\n|\n\n|\r\r/.exec(buffer)) !== null) {
      const raw = buffer.slice(0, boundary.index);
      buffer = buffer.slice(boundary.index + boundary[0].length);
      dispatch(raw, onEvent);
    }
    if (done) {
      if (buffer.trim()) {
        dispatch(buffer, onEvent);
      }
      return;
    }
  }
}

function dispatch(raw, onEvent) {
  let event = "message";
  const data = [];
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (line === "" || line.startsWith(":")) {
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (field === "event") {
      event = value;
    } else if (field === "data") {
      data.push(value);
    }
  }
  if (data.length > 0) {
    onEvent(event, data.join("\n"));
  }
}

function setGenerating(on) {
  state.generating = on;
  el.generate.disabled = on || !state.signedIn;
  el.generate.textContent = on ? "Writing your story…" : "Make my story";
  el.story.setAttribute("aria-busy", on ? "true" : "false");
}

function startStory() {
  stopReading();
  state.currentStoryId = null;
  delete el.story.dataset.pictures;
  el.readAloud.hidden = true;
  markCurrentInLibrary();
  el.story.dataset.state = "streaming";
  el.storyTitle.textContent = "Writing your story";
  el.storyBody.replaceChildren(document.createElement("p"));
  el.storyMeta.textContent = "";
  announce("Writing your story.");
  if (window.matchMedia("(max-width: 52rem)").matches) {
    el.story.scrollIntoView({ behavior: reducedMotion.matches ? "auto" : "smooth", block: "start" });
  }
}

/** Appends streamed text: a blank line in the text starts a new paragraph. */
function appendText(text) {
  const parts = text.split(/\n\s*\n/);
  let paragraph = el.storyBody.lastElementChild;
  parts.forEach((part, i) => {
    if (i > 0) {
      paragraph = document.createElement("p");
      el.storyBody.append(paragraph);
    }
    const cleaned = part.replace(/\s+/g, " ");
    if (cleaned.trim()) {
      paragraph.textContent = (paragraph.textContent + cleaned).replace(/^\s+/, "");
    }
  });
}

function finishStory(story) {
  renderStory(story);
  announce("Your story “" + story.title + "” is ready.");
  loadLibrary(false);
}

function renderStory(story) {
  state.currentStoryId = story.id;
  el.story.dataset.state = "complete";
  el.story.dataset.storyId = story.id;
  el.storyTitle.textContent = story.title;
  stopReading();
  el.story.dataset.ageGroup = story.ageGroup;
  el.story.dataset.language = story.language || "en";
  const paragraphs = story.paragraphs.map(sentencesOf);
  el.storyBody.replaceChildren(...paragraphs);
  (story.assets || []).forEach(addAsset);
  if (story.assets && story.assets.length) {
    el.story.dataset.pictures = "ready";
  }
  el.readAloud.hidden = false;
  if (!reducedMotion.matches) {
    el.storyBody.classList.remove("story-enter");
    void el.storyBody.offsetWidth;
    el.storyBody.classList.add("story-enter");
  }
  el.storyMeta.textContent = storyMeta(story);
  markCurrentInLibrary();
}

/** A paragraph whose sentences are spans, so the one being read aloud can be highlighted. */
function sentencesOf(text) {
  const p = make("p", "", "");
  const sentences = text.match(/[^.!?…]+(?:[.!?…]+["”’')\]]*\s*|$)/g) || [text];
  for (const sentence of sentences) {
    if (sentence.trim()) {
      p.append(make("span", "sentence", sentence));
    }
  }
  return p;
}

// ------------------------------------------------------------------ pictures and reading aloud

/** Shows a picture where it belongs (the cover first, each scene before its part of the story) or a recording. */
function addAsset(asset) {
  if (asset.storyId && asset.storyId !== el.story.dataset.storyId) {
    return;
  }
  if (asset.kind === "narration") {
    if (!el.story.querySelector('audio[data-index="' + asset.index + '"]')) {
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = asset.url;
      audio.dataset.index = String(asset.index);
      audio.className = "story-audio";
      el.storyMeta.before(audio);
    }
    return;
  }
  if (el.storyBody.querySelector('figure[data-kind="' + asset.kind + '"][data-index="' + asset.index + '"]')) {
    return;
  }
  const figure = make("figure", "story-picture", "");
  figure.dataset.kind = asset.kind;
  figure.dataset.index = String(asset.index);
  const img = document.createElement("img");
  img.src = asset.url;
  img.alt = asset.alt || "";
  img.width = 800;
  img.height = 600;
  img.decoding = "async";
  figure.append(img);
  const paragraphs = [...el.storyBody.querySelectorAll(":scope > p")];
  if (asset.kind === "cover" || paragraphs.length === 0) {
    el.storyBody.prepend(figure);
    return;
  }
  // Scene i of n comes before the first paragraph it shows (the planner splits paragraphs evenly).
  const scenes = Math.max(asset.index, Number(el.story.dataset.scenes || 0));
  el.story.dataset.scenes = String(scenes);
  const at = Math.floor((asset.index - 1) * paragraphs.length / Math.max(scenes, asset.index));
  const before = paragraphs[Math.min(at, paragraphs.length - 1)];
  const existing = [...el.storyBody.querySelectorAll('figure[data-kind="scene"]')]
    .find((f) => Number(f.dataset.index) > asset.index);
  (existing || before).before(figure);
}

/**
 * The speech engine: the browser's own. A test may put a scripted engine with the same speak/cancel
 * methods at window.storymagicSpeechForTests, because headless browsers have no voices.
 */
function speechEngine() {
  return window.storymagicSpeechForTests || window.speechSynthesis || null;
}

function toggleReading() {
  if (state.reading) {
    stopReading();
  } else {
    startReading();
  }
}

function startReading() {
  const engine = speechEngine();
  if (!engine || typeof window.SpeechSynthesisUtterance !== "function") {
    showNotice("Reading aloud is not available", "This browser cannot read aloud. Try another browser.");
    return;
  }
  const sentences = [...el.storyBody.querySelectorAll(".sentence")];
  if (sentences.length === 0) {
    return;
  }
  engine.cancel();
  state.reading = true;
  el.readAloud.textContent = "Stop reading";
  el.readAloud.setAttribute("aria-pressed", "true");
  const rate = { "3-5": 0.85, "6-8": 0.95, "9-12": 1.0 }[el.story.dataset.ageGroup] || 1.0;
  let next = 0;
  const speakNext = () => {
    if (!state.reading) {
      return;
    }
    if (next >= sentences.length) {
      stopReading();
      announce("The end.");
      return;
    }
    const sentence = sentences[next++];
    const utterance = new window.SpeechSynthesisUtterance(sentence.textContent.trim());
    utterance.lang = el.story.dataset.language || "en";
    utterance.rate = rate;
    utterance.onstart = () => highlight(sentence);
    utterance.onend = () => {
      sentence.classList.remove("reading");
      speakNext();
    };
    utterance.onerror = (e) => {
      const wasReading = state.reading;
      stopReading();
      if (wasReading && e && e.error !== "interrupted" && e.error !== "canceled") {
        announce("Reading aloud stopped: this browser has no voice for it.");
      }
    };
    engine.speak(utterance);
  };
  speakNext();
}

function highlight(sentence) {
  for (const other of el.storyBody.querySelectorAll(".sentence.reading")) {
    other.classList.remove("reading");
  }
  sentence.classList.add("reading");
  sentence.scrollIntoView({ behavior: reducedMotion.matches ? "auto" : "smooth", block: "nearest" });
}

function stopReading() {
  const wasReading = state.reading;
  state.reading = false;
  if (wasReading) {
    const engine = speechEngine();
    if (engine) {
      engine.cancel();
    }
  }
  for (const sentence of el.storyBody.querySelectorAll(".sentence.reading")) {
    sentence.classList.remove("reading");
  }
  el.readAloud.textContent = "Read aloud";
  el.readAloud.setAttribute("aria-pressed", "false");
}

function storyMeta(story) {
  const theme = state.themes.get(story.theme);
  const words = story.quality ? story.quality.wordCount : story.wordCount;
  const parts = [theme ? theme.name : story.theme, "ages " + story.ageGroup.replace("-", "–")];
  if (words) {
    parts.push(words + " words", "about " + Math.max(1, Math.round(words / 130)) + " min to read aloud");
  }
  return parts.join(" · ");
}

function failStory(problem) {
  // Text already shown is withdrawn: a story that failed its checks must not stay on screen.
  el.story.dataset.state = "error";
  delete el.story.dataset.storyId;
  el.storyTitle.textContent = "No story this time";
  const fixable = problem instanceof ApiProblem && ["unsafe_input", "unsafe_output", "invalid_request", "payload_too_large"]
    .includes(problem.code);
  el.storyBody.replaceChildren(make("p", "placeholder",
    fixable ? "Change something in the form and try again." : "Nothing was lost: press “Make my story” again in a moment."));
  el.storyMeta.textContent = "";
  showProblem(problem);
}

function clearStory() {
  state.currentStoryId = null;
  el.story.dataset.state = "empty";
  delete el.story.dataset.storyId;
  el.storyTitle.textContent = "Your story will appear here";
  el.storyBody.replaceChildren(make("p", "placeholder", "Pick a theme and press “Make my story”."));
  el.storyMeta.textContent = "";
}

// ------------------------------------------------------------------ my stories

async function loadLibrary(more) {
  if (!state.signedIn) {
    return;
  }
  const url = "/api/stories?limit=20" + (more && state.nextCursor ? "&cursor=" + encodeURIComponent(state.nextCursor) : "");
  let page;
  try {
    const response = await fetch(url, { headers: Object.assign({ Accept: "application/json" }, await authHeaders()) });
    if (!response.ok) {
      throw await ApiProblem.from(response);
    }
    page = await response.json();
  } catch (e) {
    showProblem(e);
    return;
  }
  if (!more) {
    el.libraryList.replaceChildren();
  }
  for (const summary of page.stories) {
    el.libraryList.append(libraryItem(summary));
  }
  state.nextCursor = page.nextCursor;
  el.libraryMore.hidden = !page.nextCursor;
  el.libraryEmpty.hidden = el.libraryList.children.length > 0;
  el.libraryEmpty.textContent = "Stories you make are kept here, so you can read them again.";
  markCurrentInLibrary();
}

function libraryItem(summary) {
  const item = make("li", "library-item");
  item.dataset.storyId = summary.id;
  const open = make("button", "library-open");
  open.type = "button";
  const theme = state.themes.get(summary.theme);
  open.append(make("span", "title", summary.title),
    make("span", "meta", [theme ? theme.name : summary.theme, "ages " + summary.ageGroup.replace("-", "–"),
      formatDate(summary.createdAt)].join(" · ")));
  open.setAttribute("aria-label", "Read “" + summary.title + "”");
  open.addEventListener("click", () => openStory(summary.id));
  const remove = make("button", "button danger delete-story", "Delete");
  remove.type = "button";
  remove.setAttribute("aria-label", "Delete “" + summary.title + "”");
  remove.addEventListener("click", () => deleteStory(summary.id, summary.title, item));
  item.append(open, remove);
  return item;
}

async function openStory(id) {
  hideNotice();
  try {
    const response = await fetch("/api/stories/" + encodeURIComponent(id),
      { headers: Object.assign({ Accept: "application/json" }, await authHeaders()) });
    if (!response.ok) {
      throw await ApiProblem.from(response);
    }
    renderStory(await response.json());
  } catch (e) {
    showProblem(e);
    return;
  }
  el.story.scrollIntoView({ behavior: reducedMotion.matches ? "auto" : "smooth", block: "start" });
  el.storyTitle.focus({ preventScroll: true });
}

async function deleteStory(id, title, item) {
  hideNotice();
  try {
    const response = await fetch("/api/stories/" + encodeURIComponent(id),
      { method: "DELETE", headers: await authHeaders() });
    if (!response.ok && response.status !== 404) {
      throw await ApiProblem.from(response);
    }
  } catch (e) {
    showProblem(e);
    return;
  }
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  if (state.currentStoryId === id) {
    clearStory();
  }
  announce("Deleted “" + title + "”.");
  await loadLibrary(false);
  const focusTarget = next && next.isConnected ? next.querySelector(".library-open") : el.libraryList.querySelector(".library-open");
  (focusTarget || el.generate).focus();
}

function markCurrentInLibrary() {
  for (const item of el.libraryList.children) {
    item.classList.toggle("current", item.dataset.storyId === state.currentStoryId);
  }
}

// ------------------------------------------------------------------ problems in plain words

const VIOLATION_WORDS = {
  "sexual": "grown-up content",
  "sexual/minors": "grown-up content",
  "hate": "hateful words",
  "hate/threatening": "hateful threats",
  "harassment": "bullying",
  "harassment/threatening": "threats",
  "violence": "violence",
  "violence/graphic": "gory violence",
  "self-harm": "hurting oneself",
  "self-harm/intent": "hurting oneself",
  "self-harm/instructions": "hurting oneself",
  "illicit": "drugs, alcohol or weapons",
  "illicit/violent": "weapons or crime",
  "profanity": "rude words",
  "personal-data": "personal details such as phone numbers or addresses",
  "frightening": "things that are too scary",
  "prompt-injection": "instructions to the storyteller",
};

const FIELD_WORDS = {
  theme: "the theme",
  ageGroup: "the age",
  length: "the length",
  setting: "where it happens",
  moral: "what it teaches",
  idea: "the idea",
  characters: "the characters",
};

class ApiProblem extends Error {
  constructor(status, code, message, details, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  static async from(response) {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return ApiProblem.fromBody(response.status, body, response.headers.get("Retry-After"));
  }

  static fromBody(status, body, retryAfter) {
    const error = body && body.error ? body.error : {};
    return new ApiProblem(status, error.code || "http_" + status, error.message || "", error.details || null,
      retryAfter ? Number.parseInt(retryAfter, 10) : null);
  }
}

/** The heading and sentence shown for a failure. */
function explain(problem) {
  if (!(problem instanceof ApiProblem)) {
    return ["Can't reach StoryMagic", "Check your internet connection and try again."];
  }
  switch (problem.code) {
    case "unsafe_input": {
      const all = (problem.details && problem.details.violationTypes) || [];
      // "unverified": the safety check itself could not run, which says nothing about the words.
      const types = all.filter((t) => t !== "unverified");
      if (all.length > 0 && types.length === 0) {
        return ["The safety check is resting", "Your idea could not be checked right now — please try again in a moment."];
      }
      const words = [...new Set(types.map((t) => VIOLATION_WORDS[t] || t.replace(/[-/]/g, " ")))];
      return ["Let's pick different words",
        "That idea can't be used in a children's story because it mentions " + (words.length ? joinWords(words) : "something unsuitable") + "."];
    }
    case "unsafe_output":
      if (problem.details && Array.isArray(problem.details.violationTypes)
          && problem.details.violationTypes.length > 0
          && problem.details.violationTypes.every((t) => t === "unverified")) {
        return ["The safety check is resting", "The story could not be checked right now — please try again in a moment."];
      }
      return ["We couldn't write a safe story from these ideas",
        "Try different characters, a different place or a different lesson."];
    case "rate_limited": {
      const seconds = problem.retryAfter && problem.retryAfter > 0 ? problem.retryAfter : 30;
      return ["Time for a little break",
        "You're making stories very quickly — please wait " + seconds + (seconds === 1 ? " second" : " seconds") + " and try again."];
    }
    case "model_unavailable":
      return ["The storyteller is resting", "The storyteller is resting right now — please try again in a moment."];
    case "generation_timeout":
      return ["That took too long", "The storyteller took too long to answer. Please try again."];
    case "model_failure":
    case "stream_ended":
      return ["The story got lost on the way", "Something went wrong while the story was being written. Please try again."];
    case "storage_unavailable":
      return ["Your stories can't be reached right now", "Saving and opening stories is not working at the moment. Please try again in a little while."];
    case "shutting_down":
      return ["StoryMagic is restarting", "Please try again in a few seconds."];
    case "unauthorized":
      return ["Please sign in", "Sign in to make stories and keep them."];
    case "invalid_request":
      return ["Something needs fixing", invalidFields(problem.details)];
    case "not_found":
      return ["That story is gone", "It may have been deleted. Your list has been refreshed."];
    case "payload_too_large":
      return ["That's a lot of words", "Please make the descriptions shorter."];
    default:
      return ["Something went wrong", "Something went wrong on our side. Please try again."];
  }
}

function invalidFields(details) {
  if (!Array.isArray(details) || details.length === 0) {
    return "Please check the form and try again.";
  }
  return details.map((d) => {
    const character = /^characters\[(\d+)\]\.(name|description)$/.exec(d.field || "");
    const field = character
      ? "character " + (Number(character[1]) + 1) + "'s " + (character[2] === "name" ? "name" : "description")
      : FIELD_WORDS[d.field] || d.field;
    return capitalise(field) + ": " + d.message + ".";
  }).join(" ");
}

function showProblem(problem) {
  const [title, text] = explain(problem);
  showNotice(title, text);
  if (problem instanceof ApiProblem) {
    el.notice.dataset.code = problem.code;
    if (problem.code === "not_found") {
      loadLibrary(false);
    }
  }
}

function showNotice(title, text) {
  el.notice.replaceChildren(make("strong", "", title), make("span", "", text));
  delete el.notice.dataset.code;
  el.notice.hidden = false;
}

function hideNotice() {
  el.notice.hidden = true;
  el.notice.replaceChildren();
  delete el.notice.dataset.code;
}

// ------------------------------------------------------------------ small helpers

function byId(id) {
  return document.getElementById(id);
}

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function announce(text) {
  el.status.textContent = text;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinWords(words) {
  if (words.length <= 1) {
    return words.join("");
  }
  return words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
}

function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

function randomKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
