import { Code } from '@mantine/core';

export function JsonBlock({ value }: { value: unknown }) {
  return (
    <Code
      block
      style={{
        maxHeight: 320,
        overflow: 'auto',
        fontSize: 12,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
