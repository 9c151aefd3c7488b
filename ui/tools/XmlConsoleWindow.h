// SPDX-License-Identifier: GPL-3.0-or-later
// The XML console of one account: the stanzas it sends and receives while the window is open, newest at the
// bottom, indented and coloured, secrets hidden; filters by kind, address and text (namespaces included); a
// pause that holds the view still while the log goes on; and a field to send a stanza written by hand,
// which is checked first and kept when it is refused.
#pragma once

#include "console/StanzaLog.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;
class QToolButton;

namespace Natter::Core {
class Account;
}

namespace Natter::Ui {

class XmlConsoleWindow : public QWidget
{
    Q_OBJECT
public:
    explicit XmlConsoleWindow(Core::Account &account, QWidget *parent = nullptr);
    ~XmlConsoleWindow() override;

    // The newest entries shown at most; the log keeps more. While the window stays open, the view is cut back
    // to ShownEntries whenever it has grown by a quarter more.
    static constexpr int ShownEntries = 1000;

private:
    bool matches(const Core::Console::StanzaEntry &entry) const;
    void showEntry(const Core::Console::StanzaEntry &entry);
    void showAll();
    void setPaused(bool paused);
    void send();
    static QString entryHtml(const Core::Console::StanzaEntry &entry);

    // Gone with its account; the window closes then.
    QPointer<Core::Console::StanzaLog> m_log;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_jid = nullptr;
    QLineEdit *m_text = nullptr;
    QToolButton *m_pause = nullptr;
    QLabel *m_pausedNote = nullptr;
    QTextBrowser *m_view = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_sendError = nullptr;
    int m_missedWhilePaused = 0;
    int m_shownEntries = 0;
};

} // namespace Natter::Ui
