import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { type ComponentType, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProvider } from './api/ApiContext';
import { IdentityProvider } from './identity/IdentityContext';
import { Layout } from './Layout';
import { DocumentListPage } from './pages/DocumentListPage';
import { InvitePage } from './pages/InvitePage';
import { NotFoundPage, RouteErrorPage } from './pages/NotFoundPage';
import { SessionProvider } from './session/SessionContext';

// The editor (Tiptap, ProseMirror, Yjs) is most of the code: the list page loads without it.
const EditorPage = lazy(async () => ({ default: (await import('./pages/EditorPage')).EditorPage }));
// The account pages need the protocol's enums (and zod with them): loaded when visited.
const SignInPage = lazy(async () => ({ default: (await import('./pages/SignInPage')).SignInPage }));
const SignUpPage = lazy(async () => ({ default: (await import('./pages/SignUpPage')).SignUpPage }));
const ProfilePage = lazy(async () => ({ default: (await import('./pages/ProfilePage')).ProfilePage }));
const ForgotPasswordPage = lazy(async () => ({ default: (await import('./pages/ForgotPasswordPage')).ForgotPasswordPage }));
const ResetPasswordPage = lazy(async () => ({ default: (await import('./pages/ResetPasswordPage')).ResetPasswordPage }));
const AdminPage = lazy(async () => ({ default: (await import('./pages/AdminPage')).AdminPage }));
// Events (issue 11): the secretariat's pages, loaded when visited.
const EventsPage = lazy(async () => ({ default: (await import('./events/EventsPage')).EventsPage }));
const EventPage = lazy(async () => ({ default: (await import('./events/EventPage')).EventPage }));

function LazyRoute({ page: Page, loading }: { page: ComponentType; loading: 'editor.loading' | 'app.loading' }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="notice" role="status">
          {t(loading)}
        </p>
      }
    >
      <Page />
    </Suspense>
  );
}

function createRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      errorElement: <RouteErrorPage />,
      children: [
        { index: true, element: <DocumentListPage /> },
        { path: 'd/:documentId', element: <LazyRoute page={EditorPage} loading="editor.loading" /> },
        { path: 'signin', element: <LazyRoute page={SignInPage} loading="app.loading" /> },
        { path: 'signup', element: <LazyRoute page={SignUpPage} loading="app.loading" /> },
        { path: 'forgot', element: <LazyRoute page={ForgotPasswordPage} loading="app.loading" /> },
        { path: 'reset/:code', element: <LazyRoute page={ResetPasswordPage} loading="app.loading" /> },
        { path: 'profile', element: <LazyRoute page={ProfilePage} loading="app.loading" /> },
        { path: 'admin', element: <LazyRoute page={AdminPage} loading="app.loading" /> },
        { path: 'events', element: <LazyRoute page={EventsPage} loading="app.loading" /> },
        { path: 'events/:eventId', element: <LazyRoute page={EventPage} loading="app.loading" /> },
        { path: 'invite/:code', element: <InvitePage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}

export function App() {
  const [router] = useState(createRouter);
  return (
    <ApiProvider>
      <SessionProvider>
        <IdentityProvider>
          <RouterProvider router={router} />
        </IdentityProvider>
      </SessionProvider>
    </ApiProvider>
  );
}
