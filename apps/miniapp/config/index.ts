import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// Client config comes only from TARO_APP_* variables. Taro reads those from .env files;
// we also take them from the process environment so CI and scripts/build-miniapp.mjs
// can set them without writing a file.
const apiBase = process.env.TARO_APP_API_BASE ?? '';

export default defineConfig<'webpack5'>(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'signal-crm-miniapp',
    date: '2025-1-1',
    // Styles are written for a 375 px wide phone; Taro turns px into rpx/rem per platform.
    designWidth: 375,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: ['@tarojs/plugin-platform-weapp-qy', '@tarojs/plugin-platform-alipay-dd'],
    env: { TARO_APP_API_BASE: JSON.stringify(apiBase) },
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  const mode = process.env.NODE_ENV === 'development' ? {} : { logger: { quiet: true, stats: false } };
  return merge({}, base, mode);
});
