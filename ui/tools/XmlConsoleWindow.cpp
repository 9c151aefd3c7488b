// SPDX-License-Identifier: GPL-3.0-or-later
#include "XmlConsoleWindow.h"

#include "XmlHighlight.h"
#include "account/Account.h"
#include "presenters/ErrorPresenter.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::Console::StanzaEntry;

XmlConsoleWindow::XmlConsoleWindow(Core::Account &account, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_log(&account.stanzaLog())
{
    setObjectName(QStringLiteral("xmlConsole"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("XML console — %1").arg(account.jid()));
    resize(820, 640);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("consoleKindFilter"));
    m_kind->addItem(tr("Everything"), -1);
    m_kind->addItem(tr("Messages"), int(StanzaEntry::Kind::Message));
    m_kind->addItem(tr("Presences"), int(StanzaEntry::Kind::Presence));
    m_kind->addItem(tr("IQs"), int(StanzaEntry::Kind::Iq));
    m_kind->addItem(tr("Stream and other"), int(StanzaEntry::Kind::Other));
    m_jid = new QLineEdit(this);
    m_jid->setObjectName(QStringLiteral("consoleJidFilter"));
    m_jid->setPlaceholderText(tr("From or to (JID)"));
    m_jid->setClearButtonEnabled(true);
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("consoleTextFilter"));
    m_text->setPlaceholderText(tr("Text or namespace"));
    m_text->setClearButtonEnabled(true);
    m_pause = new QToolButton(this);
    m_pause->setObjectName(QStringLiteral("consolePauseButton"));
    m_pause->setCheckable(true);
    m_pause->setText(tr("Pause"));
    m_pause->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-pause")));
    m_pause->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *clear = new QToolButton(this);
    clear->setObjectName(QStringLiteral("consoleClearButton"));
    clear->setText(tr("Clear"));
    clear->setIcon(QIcon::fromTheme(QStringLiteral("edit-clear-all")));
    clear->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_pausedNote = new QLabel(this);
    m_pausedNote->setObjectName(QStringLiteral("consolePausedNote"));
    m_pausedNote->hide();

    m_view = new QTextBrowser(this);
    m_view->setObjectName(QStringLiteral("consoleLog"));
    m_view->setFont(fixed);
    m_view->setOpenLinks(false);
    m_view->document()->setMaximumBlockCount(0);

    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("consoleInput"));
    m_input->setFont(fixed);
    m_input->setPlaceholderText(tr("<iq type='get' to='example.org' id='1'><query "
                                   "xmlns='http://jabber.org/protocol/disco#info'/></iq>"));
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("consoleSendButton"));
    m_send->setToolTip(tr("Send the stanza (Ctrl+Return)"));
    m_sendError = new QLabel(this);
    m_sendError->setObjectName(QStringLiteral("consoleSendError"));
    m_sendError->setWordWrap(true);
    m_sendError->setTextFormat(Qt::PlainText);
    QPalette errorPalette = m_sendError->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc8, 0x28, 0x29));
    m_sendError->setPalette(errorPalette);
    m_sendError->hide();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_kind);
    filters->addWidget(m_jid, 1);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_pause);
    filters->addWidget(clear);
    auto *sending = new QWidget(this);
    auto *sendLayout = new QVBoxLayout(sending);
    sendLayout->setContentsMargins(0, 0, 0, 0);
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_input, 1);
    sendRow->addWidget(m_send, 0, Qt::AlignBottom);
    sendLayout->addLayout(sendRow);
    sendLayout->addWidget(m_sendError);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(sending);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_pausedNote);
    layout->addWidget(splitter, 1);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &XmlConsoleWindow::showAll);
    connect(m_jid, &QLineEdit::textChanged, this, &XmlConsoleWindow::showAll);
    connect(m_text, &QLineEdit::textChanged, this, &XmlConsoleWindow::showAll);
    connect(m_pause, &QToolButton::toggled, this, &XmlConsoleWindow::setPaused);
    connect(clear, &QToolButton::clicked, m_log, &Core::Console::StanzaLog::clear);
    connect(m_log, &Core::Console::StanzaLog::cleared, this, &XmlConsoleWindow::showAll);
    connect(m_log, &Core::Console::StanzaLog::entryAdded, this, &XmlConsoleWindow::showEntry);
    connect(m_log, &QObject::destroyed, this, &QWidget::close);
    connect(m_send, &QPushButton::clicked, this, &XmlConsoleWindow::send);
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_input);
    sendShortcut->setContext(Qt::WidgetShortcut);
    connect(sendShortcut, &QShortcut::activated, this, &XmlConsoleWindow::send);
    connect(m_input, &QPlainTextEdit::textChanged, m_sendError, &QWidget::hide);

    m_log->startRecording();
    showAll();
}

XmlConsoleWindow::~XmlConsoleWindow()
{
    if (m_log)
        m_log->stopRecording();
}

bool XmlConsoleWindow::matches(const StanzaEntry &entry) const
{
    const int kind = m_kind->currentData().toInt();
    if (kind >= 0 && int(entry.kind) != kind)
        return false;
    const QString jid = m_jid->text().trimmed();
    if (!jid.isEmpty() && !entry.from.contains(jid, Qt::CaseInsensitive) &&
        !entry.to.contains(jid, Qt::CaseInsensitive))
        return false;
    const QString text = m_text->text().trimmed();
    return text.isEmpty() || entry.xml.contains(text, Qt::CaseInsensitive);
}

QString XmlConsoleWindow::entryHtml(const StanzaEntry &entry)
{
    const bool sent = entry.direction == StanzaEntry::Direction::Sent;
    const QString header = (sent ? tr("%1 ↑ sent") : tr("%1 ↓ received"))
                               .arg(entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    return QStringLiteral(
               "<p style=\"margin-top:8px;margin-bottom:0\"><span style=\"color:%1;font-weight:bold\">"
               "%2</span></p><pre style=\"margin-top:0\">%3</pre>")
        .arg(sent ? QStringLiteral("#4271ae") : QStringLiteral("#f5871f"), header.toHtmlEscaped(),
             highlightedXml(entry.xml));
}

void XmlConsoleWindow::showEntry(const StanzaEntry &entry)
{
    if (!matches(entry))
        return;
    if (m_pause->isChecked()) {
        ++m_missedWhilePaused;
        m_pausedNote->setText(tr("Paused: stanzas not shown yet: %1").arg(m_missedWhilePaused));
        return;
    }
    QScrollBar *scroll = m_view->verticalScrollBar();
    const bool atBottom = scroll->value() >= scroll->maximum() - 4;
    QTextCursor end(m_view->document());
    end.movePosition(QTextCursor::End);
    end.insertHtml(entryHtml(entry));
    end.insertBlock();
    if (atBottom)
        scroll->setValue(scroll->maximum());
    if (++m_shownEntries > ShownEntries + ShownEntries / 4) {
        // What is below the reader stays put; the oldest, above, go.
        const int fromBottom = scroll->maximum() - scroll->value();
        showAll();
        scroll->setValue(std::max(0, scroll->maximum() - fromBottom));
    }
}

void XmlConsoleWindow::showAll()
{
    QStringList shown;
    const QList<StanzaEntry> entries = m_log ? m_log->entries() : QList<StanzaEntry>();
    for (auto it = entries.crbegin(); it != entries.crend() && shown.size() < ShownEntries; ++it)
        if (matches(*it))
            shown.prepend(entryHtml(*it));
    m_view->setHtml(shown.join(QString()));
    m_shownEntries = int(shown.size());
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

void XmlConsoleWindow::setPaused(bool paused)
{
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(QIcon::fromTheme(paused ? QStringLiteral("media-playback-start")
                                             : QStringLiteral("media-playback-pause")));
    m_missedWhilePaused = 0;
    m_pausedNote->setText(tr("Paused: new stanzas are not shown until you resume"));
    m_pausedNote->setVisible(paused);
    if (!paused)
        showAll();
}

void XmlConsoleWindow::send()
{
    if (!m_log)
        return;
    const auto sent = m_log->send(m_input->toPlainText());
    if (!Core::isOk(sent)) {
        m_sendError->setText(ErrorPresenter::describe(Core::errorOf(sent)));
        m_sendError->show();
        return;
    }
    m_sendError->hide();
    m_input->clear();
}

} // namespace Natter::Ui
