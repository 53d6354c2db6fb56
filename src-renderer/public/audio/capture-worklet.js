/* global AudioWorkletProcessor, registerProcessor */
// The microphone's AudioWorklet: copies the first input channel into blocks of 1024 frames
// (about 23 ms at 44.1 kHz) and posts each as a transferable Float32Array. Served with the app
// as a plain module (script-src 'self'); nothing else runs on the audio thread.
const BLOCK = 1024;

class AssayCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(BLOCK);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      let offset = 0;
      while (offset < channel.length) {
        const take = Math.min(BLOCK - this.filled, channel.length - offset);
        this.block.set(channel.subarray(offset, offset + take), this.filled);
        this.filled += take;
        offset += take;
        if (this.filled === BLOCK) {
          this.port.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(BLOCK);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('assay-capture', AssayCaptureProcessor);
