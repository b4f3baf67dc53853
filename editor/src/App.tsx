import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProvider } from './api/ApiContext';
import { IdentityProvider } from './identity/IdentityContext';
import { Layout } from './Layout';
import { DocumentListPage } from './pages/DocumentListPage';
import { NotFoundPage, RouteErrorPage } from './pages/NotFoundPage';

// The editor (Tiptap, ProseMirror, Yjs) is most of the code: the list page loads without it.
const EditorPage = lazy(async () => ({ default: (await import('./pages/EditorPage')).EditorPage }));

function EditorRoute() {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="notice" role="status">
          {t('editor.loading')}
        </p>
      }
    >
      <EditorPage />
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
        { path: 'd/:documentId', element: <EditorRoute /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}

export function App() {
  const [router] = useState(createRouter);
  return (
    <ApiProvider>
      <IdentityProvider>
        <RouterProvider router={router} />
      </IdentityProvider>
    </ApiProvider>
  );
}
