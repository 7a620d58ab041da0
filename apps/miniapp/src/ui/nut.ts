// The NutUI components this app uses, each with only its own CSS (keeps the weapp main
// package small; importing the whole style sheet costs ~250 KB).
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';

export { Button, Input, Tag, TextArea } from '@nutui/nutui-react-taro';
