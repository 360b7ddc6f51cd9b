import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  ControlOutlined,
  DiffOutlined,
  HeartOutlined,
  HomeOutlined,
  MedicineBoxOutlined,
  ApartmentOutlined,
  FileDoneOutlined,
  FormOutlined,
  BankOutlined,
  ClockCircleOutlined,
  ShopOutlined,
  ScanOutlined,
  RadarChartOutlined,
  DashboardOutlined,
  SyncOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@qiao/contracts';
import type { ReactNode } from 'react';
import { registryPermissions } from '../lib/registry-permissions.js';

export interface NavItem {
  path: string;
  labelKey:
    | 'nav.overview'
    | 'nav.home'
    | 'nav.organizations'
    | 'nav.changeRequests'
    | 'nav.applications'
    | 'nav.myApplication'
    | 'nav.registrySync'
    | 'nav.households'
    | 'nav.aid'
    | 'nav.volunteers'
    | 'nav.myHours'
    | 'nav.risk'
    | 'nav.serviceFields'
    | 'nav.jurisdictions'
    | 'nav.users'
    | 'nav.audit'
    | 'nav.account'
    | 'nav.cases'
    | 'nav.caseSettings'
    | 'nav.notifications'
    | 'market.nav'
    | 'market.till.title';
  testId: string;
  icon: ReactNode;
  /** Absent: every logged-in user may open it. */
  permission?: Permission;
  /** Hidden from an applicant, who follows its application and nothing else until approval. */
  notForApplicants?: boolean;
}

/** The side menu; an entry shows only when the role holds its permission. */
export const navItems: readonly NavItem[] = [
  {
    path: '/',
    labelKey: 'nav.overview',
    testId: 'nav-overview',
    icon: <DashboardOutlined />,
    permission: 'overview:read',
  },
  {
    path: '/organizations',
    labelKey: 'nav.organizations',
    testId: 'nav-organizations',
    icon: <BankOutlined />,
    permission: registryPermissions.read,
  },
  {
    path: '/organization-changes',
    labelKey: 'nav.changeRequests',
    testId: 'nav-change-requests',
    icon: <DiffOutlined />,
    permission: registryPermissions.manage,
  },
  {
    path: '/cases',
    labelKey: 'nav.cases',
    testId: 'nav-cases',
    icon: <AlertOutlined />,
    permission: 'case:report',
  },
  {
    path: '/case-settings',
    labelKey: 'nav.caseSettings',
    testId: 'nav-case-settings',
    icon: <ControlOutlined />,
    permission: 'case:configure',
  },
  {
    path: '/risk',
    labelKey: 'nav.risk',
    testId: 'nav-risk',
    icon: <RadarChartOutlined />,
    permission: 'risk:read',
  },
  {
    path: '/applications',
    labelKey: 'nav.applications',
    testId: 'nav-applications',
    icon: <FileDoneOutlined />,
    permission: 'application:review',
  },
  {
    path: '/my-application',
    labelKey: 'nav.myApplication',
    testId: 'nav-my-application',
    icon: <FormOutlined />,
    permission: 'application:own',
  },
  {
    path: '/registry-sync',
    labelKey: 'nav.registrySync',
    testId: 'nav-registry-sync',
    icon: <SyncOutlined />,
    permission: 'registry:import',
  },
  {
    path: '/households',
    labelKey: 'nav.households',
    testId: 'nav-households',
    icon: <HomeOutlined />,
    permission: 'household:read',
  },
  { path: '/aid', labelKey: 'nav.aid', testId: 'nav-aid', icon: <MedicineBoxOutlined />, permission: 'aid:read' },
  {
    path: '/volunteers',
    labelKey: 'nav.volunteers',
    testId: 'nav-volunteers',
    icon: <HeartOutlined />,
    permission: 'volunteer:read',
  },
  {
    path: '/my-hours',
    labelKey: 'nav.myHours',
    testId: 'nav-my-hours',
    icon: <ClockCircleOutlined />,
    permission: 'volunteer:own',
  },
  {
    path: '/service-fields',
    labelKey: 'nav.serviceFields',
    testId: 'nav-service-fields',
    icon: <TagsOutlined />,
    permission: 'taxonomy:manage',
  },
  {
    path: '/jurisdictions',
    labelKey: 'nav.jurisdictions',
    testId: 'nav-jurisdictions',
    icon: <ApartmentOutlined />,
    permission: 'jurisdiction:read',
  },
  {
    path: '/market',
    labelKey: 'market.nav',
    testId: 'nav-market',
    icon: <ShopOutlined />,
    permission: 'market:read',
  },
  {
    path: '/market/till',
    labelKey: 'market.till.title',
    testId: 'nav-till',
    icon: <ScanOutlined />,
    permission: 'till:checkout',
  },
  { path: '/users', labelKey: 'nav.users', testId: 'nav-users', icon: <TeamOutlined />, permission: 'user:read' },
  { path: '/audit', labelKey: 'nav.audit', testId: 'nav-audit', icon: <AuditOutlined />, permission: 'audit:read' },
  {
    path: '/notifications',
    labelKey: 'nav.notifications',
    testId: 'nav-notifications',
    icon: <BellOutlined />,
    notForApplicants: true,
  },
  { path: '/account', labelKey: 'nav.account', testId: 'nav-account', icon: <UserOutlined /> },
];
