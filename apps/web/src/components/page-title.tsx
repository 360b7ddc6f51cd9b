import { Flex, Typography } from 'antd';
import { useEffect } from 'react';
import type { ReactNode } from 'react';

/** The page heading, also the document title so tabs and screen readers name the page. */
export function PageTitle({ title, extra }: { title: string; extra?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · 桥 Qiao`;
  }, [title]);
  return (
    <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  );
}
