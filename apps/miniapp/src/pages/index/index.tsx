import { Text, View } from '@tarojs/components';

export default function Index() {
  return (
    <View>
      <Text>销售助手</Text>
    </View>
  );
}
