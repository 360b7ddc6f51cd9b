import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Result, Space } from 'antd';
import JsBarcode from 'jsbarcode';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { useHousehold } from './households-api.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';
import './households.css';

/** The card number as a Code 128 barcode, which the till's scanner types back as digits. */
export function CardBarcode({ value }: { value: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (ref.current)
      JsBarcode(ref.current, value, { format: 'CODE128', displayValue: true, margin: 0, height: 60, fontSize: 16 });
  }, [value]);
  return <svg ref={ref} role="img" aria-label={value} data-testid="card-barcode" />;
}

/** A household's card, the size of an ID card, to print and hand to the household. */
export function HouseholdCardPage() {
  const { t } = useTranslation();
  const id = Number(useParams()['id']);
  const query = useHousehold(id);
  const nameOf = useJurisdictionName();
  if (!Number.isInteger(id) || id <= 0 || isApiError(query.error, 'not_found'))
    return (
      <Result
        status="404"
        title={t('households.notFound')}
        extra={<Link to="/households">{t('households.backToList')}</Link>}
      />
    );
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;
  const h = query.data;
  return (
    <>
      <div className="hh-no-print">
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={[
            { title: <Link to="/households">{t('households.title')}</Link> },
            { title: <Link to={`/households/${h.id}`}>{h.headName}</Link> },
            { title: t('households.card') },
          ]}
        />
        {!h.cardNumber ? (
          <Alert type="warning" showIcon title={t('households.noCard')} />
        ) : (
          <Space style={{ marginBottom: 16 }} wrap>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              onClick={() => window.print()}
              autoFocus
              data-testid="card-print"
            >
              {t('households.print')}
            </Button>
            {!h.mayRedeem && <Alert type="warning" showIcon title={t('households.cardNotValid')} />}
          </Space>
        )}
      </div>
      {h.cardNumber && (
        <div className="hh-print">
          <div className="hh-card" data-testid="household-card">
            <div>
              <h2>{t('households.cardTitle')}</h2>
              <div>{nameOf(h.jurisdictionId)}</div>
            </div>
            <div>
              <strong>{h.headName}</strong> · {t(`hardshipCategories.${h.category}`)}
              {h.verification && <span> · {t('households.validUntil', { date: h.verification.validUntil })}</span>}
            </div>
            <CardBarcode value={h.cardNumber} />
          </div>
        </div>
      )}
    </>
  );
}
