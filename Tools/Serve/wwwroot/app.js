"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let classNames = [];

  function drawDigit(canvas, pixels) {
    const context = canvas.getContext("2d");
    const image = context.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = pixels[i];
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  function bars(container, probabilities, predicted) {
    container.replaceChildren();
    probabilities.forEach((p, k) => {
      const name = document.createElement("span");
      name.textContent = classNames[k] ?? String(k);
      const track = document.createElement("span");
      const bar = document.createElement("div");
      bar.className = k === predicted ? "bar top" : "bar";
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      track.append(bar);
      const value = document.createElement("span");
      value.className = "p";
      value.textContent = `${(100 * p).toFixed(1)}%`;
      container.append(name, track, value);
    });
  }

  async function getJson(url, options) {
    const response = await fetch(url, options);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body;
  }

  async function loadModel() {
    const model = await getJson("/api/model");
    classNames = model.classes;
    $("model-name").textContent = model.name;
    $("model-features").textContent = model.features;
    $("model-steps").textContent = model.steps.join(" → ");
    $("model-accuracy").textContent = `${(100 * model.test_accuracy).toFixed(2)} % on ${model.test_count} test images`;
  }

  async function loadSamples() {
    const gallery = $("gallery");
    gallery.setAttribute("aria-busy", "true");
    $("gallery-error").hidden = true;
    try {
      const samples = await getJson("/api/samples?n=12");
      gallery.replaceChildren(...samples.map((s) => {
        const card = document.createElement("div");
        card.className = "card";
        card.dataset.index = s.index;
        const canvas = document.createElement("canvas");
        canvas.className = "digit";
        canvas.width = 28;
        canvas.height = 28;
        drawDigit(canvas, s.pixels);
        const text = document.createElement("div");
        const title = document.createElement("p");
        title.textContent = `test #${s.index}`;
        const truth = document.createElement("p");
        truth.textContent = `true: ${s.name}`;
        const predicted = document.createElement("p");
        predicted.className = s.prediction.label === s.label ? "right" : "wrong";
        predicted.textContent = `predicted: ${s.prediction.name}`;
        const chart = document.createElement("div");
        chart.className = "bars";
        bars(chart, s.prediction.probabilities, s.prediction.label);
        text.append(title, truth, predicted, chart);
        card.append(canvas, text);
        return card;
      }));
    } catch (e) {
      $("gallery-error").textContent = `Could not load samples: ${e.message}`;
      $("gallery-error").hidden = false;
    } finally {
      gallery.setAttribute("aria-busy", "false");
    }
  }

  async function classifyFile(file) {
    $("upload-error").hidden = true;
    $("upload-result").hidden = true;
    try {
      const pixels = await window.FashionConvert.convertFile(file);
      window.lastConverted = Array.from(pixels);
      drawDigit($("upload-canvas"), pixels);
      const prediction = await getJson("/api/predict", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pixels: Array.from(pixels) }),
      });
      $("upload-label").textContent = prediction.name;
      bars($("upload-bars"), prediction.probabilities, prediction.label);
      $("upload-result").hidden = false;
    } catch (e) {
      $("upload-error").textContent = e.message;
      $("upload-error").hidden = false;
    }
  }

  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length > 0) classifyFile(e.dataTransfer.files[0]);
  });
  $("file").addEventListener("change", (e) => {
    if (e.target.files.length > 0) classifyFile(e.target.files[0]);
    e.target.value = "";
  });
  $("new-sample").addEventListener("click", loadSamples);

  loadModel().then(loadSamples).catch((e) => {
    $("gallery-error").textContent = `Could not load the model description: ${e.message}`;
    $("gallery-error").hidden = false;
  });
})();
