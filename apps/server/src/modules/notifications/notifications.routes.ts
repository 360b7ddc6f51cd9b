import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  emptyBody,
  idParams,
  listNotificationsQuery,
  listOutboxQuery,
  notification,
  notificationContacts,
  notificationContactsBody,
  notificationPage,
  outboxItem,
  unreadCount,
} from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { NotificationService } from './notifications.service.js';

const tags = ['notifications'];

/** The signed-in user's own inbox and channels: no permission beyond being signed in. */
export const notificationRoutes: FastifyPluginAsyncZod<{ service: NotificationService }> = async (app, { service }) => {
  app.get(
    '/notifications',
    {
      schema: {
        operationId: 'listMyNotifications',
        tags,
        summary: 'My notifications, newest first, with my unread count',
        querystring: listNotificationsQuery,
        response: { 200: notificationPage },
      },
    },
    async (req) => service.listMyNotifications(requestContext(req), req.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      schema: {
        operationId: 'countUnreadNotifications',
        tags,
        summary: 'How many of my notifications are unread',
        response: { 200: unreadCount },
      },
    },
    async (req) => service.countUnreadNotifications(requestContext(req)),
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        tags,
        summary: 'Mark one of my notifications read',
        params: idParams,
        body: emptyBody,
        response: { 200: notification },
      },
    },
    async (req) => service.markNotificationRead(requestContext(req), req.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      schema: {
        operationId: 'markAllNotificationsRead',
        tags,
        summary: 'Mark all my notifications read',
        body: emptyBody,
        response: { 200: z.object({ marked: z.number() }) },
      },
    },
    async (req) => service.markAllNotificationsRead(requestContext(req)),
  );

  app.get(
    '/notifications/contacts',
    {
      schema: {
        operationId: 'getMyNotificationContacts',
        tags,
        summary: 'Where my notifications go besides the inbox',
        response: { 200: notificationContacts },
      },
    },
    async (req) => service.getMyNotificationContacts(requestContext(req)),
  );

  app.put(
    '/notifications/contacts',
    {
      schema: {
        operationId: 'updateMyNotificationContacts',
        tags,
        summary: 'Set my email and phone for notifications and switch the channels on or off',
        body: notificationContactsBody,
        response: { 200: notificationContacts },
      },
    },
    async (req) => service.updateMyNotificationContacts(requestContext(req), req.body),
  );

  app.get(
    '/notifications/outbox',
    {
      schema: {
        operationId: 'listNotificationOutbox',
        tags,
        summary: 'Email and SMS deliveries: pending, sent and given up, with the last error',
        querystring: listOutboxQuery,
        response: { 200: z.object({ items: z.array(outboxItem) }) },
      },
      config: { permission: 'notification:manage' },
    },
    async (req) => service.listNotificationOutbox(requestContext(req), req.query),
  );
};
