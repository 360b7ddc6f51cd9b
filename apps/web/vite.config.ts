import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
  { name: 'echarts', test: /node_modules[\\/](echarts|echarts-for-react|zrender|size-sensor)[\\/]/ },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|dayjs|@emotion)[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset is a file served from 'self', so a strict CSP never meets a data: URL.
    assetsInlineLimit: 0,
    // antd is one large chunk by nature; it is cached across deployments by its hash.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: { output: { codeSplitting: { groups: vendorGroups } } },
  },
});
