// Vite's `?raw` imports (a file's text as a string), as the fault-matrix test reads README.md.
declare module '*.md?raw' {
  const text: string
  export default text
}
