import { LoginOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Input, Row, Space, Spin, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { ElderlyToggle } from '../../components/elderly-toggle.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { KindTag } from '../../components/organization-tags.js';
import { QueryError } from '../../components/query-state.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { usePublicOrganizations } from './directory-api.js';
import type { PublicOrganization } from './directory-api.js';
import { DirectoryDetail } from './directory-detail.js';
import { useFieldLabel } from '../../lib/service-fields.js';

const MAX_FIELD_TAGS = 4;

function ResultCard({ org, onOpen }: { org: PublicOrganization; onOpen(): void }) {
  const { i18n } = useTranslation();
  const fieldLabel = useFieldLabel(true);
  return (
    <Card size="small" hoverable onClick={onOpen} style={{ height: '100%' }} data-testid={`directory-result-${org.id}`}>
      <Flex vertical gap={6}>
        <Typography.Link
          strong
          style={{ fontSize: '1.05em' }}
          onClick={(event) => {
            event.stopPropagation();
            onOpen();
          }}
        >
          {org.name}
        </Typography.Link>
        {org.nameEn && <Typography.Text type="secondary">{org.nameEn}</Typography.Text>}
        <Space size={[4, 4]} wrap>
          <KindTag kind={org.kind} />
          <Typography.Text type="secondary">
            {jurisdictionName({ name: org.jurisdiction, nameEn: org.jurisdictionEn }, i18n.language)}
          </Typography.Text>
        </Space>
        <Typography.Text style={{ fontFamily: 'monospace' }}>{org.uscc ?? org.filingNumber ?? '—'}</Typography.Text>
        {org.fields.length > 0 && (
          <Space size={[0, 4]} wrap>
            {org.fields.slice(0, MAX_FIELD_TAGS).map((f) => (
              <Tag key={f}>{fieldLabel(f)}</Tag>
            ))}
            {org.fields.length > MAX_FIELD_TAGS && <Tag>+{org.fields.length - MAX_FIELD_TAGS}</Tag>}
          </Space>
        )}
      </Flex>
    </Card>
  );
}

/**
 * The public directory of active organizations: anyone may search it, no login. It shows what the
 * registry publishes (name, kind, number, jurisdiction, fields, status history) and never personal data.
 */
export function DirectoryPage() {
  const { t } = useTranslation();
  const { session } = useAuth();
  const navigate = useNavigate();
  const params = useParams();
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? undefined;
  const openId = Number(params['id']) > 0 ? Number(params['id']) : undefined;
  const query = usePublicOrganizations(q);
  const results = query.data?.pages.flatMap((page) => page.items) ?? [];
  const suffix = search.toString() ? `?${search.toString()}` : '';

  useEffect(() => {
    document.title = `${t('directory.title')} · 桥 Qiao`;
  }, [t]);

  return (
    <div style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', padding: '12px 24px' }}>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Link to="/directory" aria-label={t('directory.title')}>
            <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
              桥 <span style={{ fontWeight: 400 }}>Qiao</span>
              <Typography.Text type="secondary" style={{ marginInlineStart: 12, fontWeight: 400 }}>
                {t('directory.title')}
              </Typography.Text>
            </Typography.Title>
          </Link>
          <Flex gap={12} align="center" wrap>
            <LanguageSwitch />
            <ElderlyToggle />
            <Link to={session ? '/' : '/login'}>
              <Button icon={<LoginOutlined />} data-testid="directory-login">
                {session ? t('directory.backToApp') : t('login.submit')}
              </Button>
            </Link>
          </Flex>
        </Flex>
      </header>
      <main id="main" style={{ maxWidth: 1200, margin: '0 auto', padding: 24 }}>
        <Typography.Title level={2} style={{ marginTop: 8 }}>
          {t('directory.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('directory.intro')}{' '}
          <Link to="/apply" data-testid="directory-apply-link">
            {t('directory.applyLink')}
          </Link>
        </Typography.Paragraph>
        <div role="search" style={{ maxWidth: 640, marginBottom: 24 }}>
          <Input.Search
            size="large"
            aria-label={t('directory.search')}
            placeholder={t('directory.search')}
            allowClear
            defaultValue={q}
            enterButton={
              <Space size={4}>
                <SearchOutlined />
                {t('common.search')}
              </Space>
            }
            onSearch={(value) => setSearch(value.trim() ? { q: value.trim() } : {}, { replace: true })}
            data-testid="directory-search"
          />
        </div>
        <div data-testid="directory-results" aria-live="polite">
          {query.error ? (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          ) : query.isPending ? (
            <Flex justify="center" style={{ padding: 48 }}>
              <Spin description={t('common.loading')} />
            </Flex>
          ) : results.length === 0 ? (
            <Empty description={q ? t('directory.noResults', { q }) : t('directory.emptyDirectory')} />
          ) : (
            <>
              <Typography.Paragraph type="secondary">
                {q
                  ? t('directory.resultsFor', { count: results.length, q })
                  : t('common.shown', { count: results.length })}
              </Typography.Paragraph>
              <Row gutter={[16, 16]}>
                {results.map((org) => (
                  <Col xs={24} md={12} xl={8} key={org.id}>
                    <ResultCard org={org} onOpen={() => void navigate(`/directory/${org.id}${suffix}`)} />
                  </Col>
                ))}
              </Row>
            </>
          )}
        </div>
        {query.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Button
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
              data-testid="directory-load-more"
            >
              {t('common.loadMore')}
            </Button>
          </Flex>
        )}
      </main>
      <DirectoryDetail id={openId} onClose={() => void navigate(`/directory${suffix}`)} />
    </div>
  );
}
