import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'hono/index': 'src/hono/index.ts',
    'd1/index': 'src/d1/index.ts',
    'durable/index': 'src/durable/index.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  clean: true,
  outDir: 'dist',
  fixedExtension: false,
})
