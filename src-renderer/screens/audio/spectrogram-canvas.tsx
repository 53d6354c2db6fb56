import { useEffect, useRef } from 'react';
import { heatColor } from '../../lib/audio/spectrogram.js';

interface SpectrogramCanvasProps {
  /** dB columns, oldest first; each of the same number of bins (0 Hz at index 0). */
  readonly columns: readonly Float32Array[];
  /** Bins drawn (from 0 Hz): the rest is above what a detector's tones use. */
  readonly bins?: number;
  readonly testId: string;
  readonly label: string;
}

/** A spectrogram drawn pixel by pixel: time left to right, frequency bottom to top. */
export function SpectrogramCanvas({ columns, bins, testId, label }: SpectrogramCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const width = Math.max(1, columns.length);
    const height = Math.max(1, Math.min(bins ?? Infinity, columns[0]?.length ?? 1));
    canvas.width = width;
    canvas.height = height;
    const image = ctx.createImageData(width, height);
    columns.forEach((col, x) => {
      for (let y = 0; y < height; y++) {
        const [r, g, b] = heatColor(col[y] ?? -100);
        const at = ((height - 1 - y) * width + x) * 4;
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = 255;
      }
    });
    ctx.putImageData(image, 0, 0);
    canvas.dataset.columns = String(columns.length);
  }, [columns, bins]);
  return (
    <canvas ref={ref} className="spectrogram" role="img" aria-label={label} data-testid={testId} />
  );
}
