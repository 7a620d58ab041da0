// Component and unit tests (TARO.md option B1): React Testing Library in jsdom, with
// @tarojs/components, @tarojs/taro and NutUI replaced by small stand-ins in test/mocks.
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.[jt]sx?$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        presets: [
          ['@babel/preset-env', { targets: { node: 'current' } }],
          ['@babel/preset-react', { runtime: 'automatic' }],
          '@babel/preset-typescript',
        ],
      },
    ],
  },
  moduleNameMapper: {
    '^@tarojs/components$': '<rootDir>/test/mocks/components.tsx',
    '^@tarojs/taro$': '<rootDir>/test/mocks/taro.ts',
    '^@nutui/nutui-react-taro$': '<rootDir>/test/mocks/nutui.tsx',
    '^@nutui/nutui-react-taro/dist/.*$': '<rootDir>/test/mocks/style.ts',
    '\\.css$': '<rootDir>/test/mocks/style.ts',
  },
  setupFiles: ['<rootDir>/test/setup.ts'],
};
