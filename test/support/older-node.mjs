// Loaded with `node --import` by tests: this process reports itself as Node.js 20.11.1.
Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.11.1' } });
Object.defineProperty(process, 'version', { value: 'v20.11.1' });
