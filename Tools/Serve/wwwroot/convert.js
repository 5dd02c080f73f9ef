// The Fashion-MNIST conversion rule, step for step the same as FashionImageConverter.cs (Tools/Imaging), so the page
// and `fashion predict --image` turn the same picture into the same 28×28 pixels. Integer steps are integer here too,
// and the floating-point steps run in the same order on IEEE doubles.
"use strict";
(function () {
  const SIDE = 28;
  const FOREGROUND_THRESHOLD = 13; // ≈ 5 % of 255: the paper's trim rule

  // rgba: Uint8ClampedArray / array of width*height*4 bytes, not premultiplied.
  function convertRgba(rgba, width, height) {
    if (!(width > 0 && height > 0) || rgba.length !== width * height * 4) {
      throw new Error(`rgba has ${rgba.length} bytes, not ${width}×${height}×4`);
    }
    const lum = new Uint8Array(width * height);
    for (let i = 0; i < lum.length; i++) {
      const a = rgba[4 * i + 3];
      const r = overWhite(rgba[4 * i], a);
      const g = overWhite(rgba[4 * i + 1], a);
      const b = overWhite(rgba[4 * i + 2], a);
      lum[i] = Math.floor((299 * r + 587 * g + 114 * b + 500) / 1000);
    }
    return convertLuminance(lum, width, height);
  }

  function overWhite(c, a) {
    return Math.floor((c * a + 255 * (255 - a) + 127) / 255);
  }

  function convertLuminance(lum, width, height) {
    // Background: lower median of the one-pixel frame.
    const histogram = new Int32Array(256);
    let borderCount = 0;
    for (let y = 0; y < height; y++) {
      const edgeRow = y === 0 || y === height - 1;
      for (let x = 0; x < width; x++) {
        if (edgeRow || x === 0 || x === width - 1) {
          histogram[lum[y * width + x]]++;
          borderCount++;
        }
      }
    }
    const median = lowerMedian(histogram, borderCount);
    const invert = median > 127;
    const background = invert ? 255 - median : median;
    const value = (y) => (invert ? 255 - y : y);

    let max = 0;
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = value(lum[y * width + x]);
        if (v > max) max = v;
        if (v >= background + FOREGROUND_THRESHOLD) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) {
      throw new Error(`no object found: the ${width}×${height} image is a single flat colour ` +
        `(no pixel differs from the background by ${FOREGROUND_THRESHOLD} or more gray levels).`);
    }

    const boxWidth = x1 - x0 + 1;
    const boxHeight = y1 - y0 + 1;
    const range = max - background;
    const level = new Float64Array(boxWidth * boxHeight);
    for (let y = 0; y < boxHeight; y++) {
      for (let x = 0; x < boxWidth; x++) {
        const t = (value(lum[(y0 + y) * width + x0 + x]) - background) / range;
        level[y * boxWidth + x] = Math.min(Math.max(t, 0), 1) * 255;
      }
    }
    return resample(level, boxWidth, boxHeight);
  }

  function lowerMedian(histogram, count) {
    const rank = Math.floor((count - 1) / 2);
    let seen = 0;
    for (let v = 0; v < histogram.length; v++) {
      seen += histogram[v];
      if (seen > rank) return v;
    }
    return histogram.length - 1;
  }

  function resample(level, boxWidth, boxHeight) {
    const k = Math.max(boxWidth, boxHeight) / SIDE;
    const offsetX = (SIDE - boxWidth / k) / 2;
    const offsetY = (SIDE - boxHeight / k) / 2;
    const rows = new Float64Array(boxHeight * SIDE);
    for (let y = 0; y < boxHeight; y++) {
      for (let ox = 0; ox < SIDE; ox++) {
        rows[y * SIDE + ox] = cover(level, y * boxWidth, 1, boxWidth, (ox - offsetX) * k, (ox + 1 - offsetX) * k);
      }
    }
    const result = new Uint8Array(SIDE * SIDE);
    for (let oy = 0; oy < SIDE; oy++) {
      for (let ox = 0; ox < SIDE; ox++) {
        const v = cover(rows, ox, SIDE, boxHeight, (oy - offsetY) * k, (oy + 1 - offsetY) * k) / (k * k);
        result[oy * SIDE + ox] = Math.min(Math.max(Math.floor(v + 0.5), 0), 255);
      }
    }
    return result;
  }

  function cover(values, start, stride, count, from, to) {
    const lo = Math.max(from, 0);
    const hi = Math.min(to, count);
    let sum = 0;
    for (let i = Math.floor(lo); i < hi; i++) {
      const weight = Math.min(i + 1, hi) - Math.max(i, lo);
      if (weight > 0) sum += weight * values[start + i * stride];
    }
    return sum;
  }

  const MAX_PIXELS = 50000000;

  // Decodes a File/Blob in the browser and converts it. Colour management and alpha premultiplication are turned
  // off so the RGBA values are the file's own, as SkiaSharp decodes them for `fashion predict --image`.
  async function convertFile(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
    } catch (e) {
      throw new Error(`${file.name}: not an image the browser can decode (PNG, JPEG or WebP expected).`);
    }
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) {
      throw new Error(`${file.name}: a ${width}×${height} image is larger than ${MAX_PIXELS / 1000000} megapixels.`);
    }
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const data = context.getImageData(0, 0, width, height).data;
    return convertRgba(data, width, height);
  }

  window.FashionConvert = { SIDE, FOREGROUND_THRESHOLD, convertRgba, convertLuminance, convertFile };
})();
